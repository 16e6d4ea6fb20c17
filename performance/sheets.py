"""A framework's indicators as an Excel sheet, out and back in (all or nothing)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook

from rescue_station.spreadsheets import (
    ImportResult,
    SheetError,
    parse_decimal,
    read_sheet,
    write_sheet,
)

from .models import Framework, Indicator

# (column header, Indicator field)
COLUMNS = [
    ("顺序", "order"),
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标", "name"),
    ("类型", "comparator"),
    ("年度指标值", "target"),
    ("单位", "unit"),
    ("分值", "weight"),
    ("统计指标", "metric_key"),
]
HEADERS = [h for h, _f in COLUMNS]
KINDS = ", ".join(Indicator.ComparatorChoice.values)


def framework_workbook(framework: Framework) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "指标"
    rows = [
        [
            i.order,
            i.level1,
            i.level2,
            i.name,
            i.comparator,
            i.target,
            i.unit,
            i.weight,
            i.metric_key,
        ]
        for i in framework.indicators.all()
    ]
    write_sheet(
        sheet,
        HEADERS,
        rows,
        widths=[6, 12, 14, 40, 10, 12, 8, 8, 34],
        number_formats={7: "0.##"},
    )
    weights = workbook.create_sheet("一级指标分值")
    write_sheet(weights, ["一级指标", "分值"], list(framework.declared_weights.items()))
    return workbook


def parse_framework_sheet(data: bytes) -> ImportResult:
    """Rows of Indicator values, or errors by row and column (then nothing is imported)."""
    result = ImportResult()
    try:
        rows = read_sheet(data, HEADERS)
    except SheetError as error:
        result.error(1, "", str(error))
        return result
    names: set[str] = set()
    for number, record in rows:
        values: dict[str, Any] = {}
        for header, field in COLUMNS:
            value = record.get(header)
            if field == "weight":
                try:
                    value = parse_decimal(value)
                except ValueError as error:
                    result.error(number, header, str(error))
                    continue
            elif field == "order":
                try:
                    value = int(value or 0)
                except (TypeError, ValueError):
                    result.error(number, header, _("Enter a whole number."))
                    continue
            else:
                value = "" if value is None else str(value).strip()
                if field == "target" and value.endswith(".0"):
                    value = value[:-2]  # a whole number read back from Excel
            values[field] = value
        if values.get("comparator") not in Indicator.ComparatorChoice.values:
            result.error(number, "类型", _("Write one of: %(kinds)s.") % {"kinds": KINDS})
        if values.get("name") in names:
            result.error(number, "三级指标", _("This indicator appears twice."))
        names.add(values.get("name", ""))
        indicator = Indicator(**values)
        try:
            indicator.full_clean(exclude=["framework"])
        except ValidationError as error:
            fields = {f: h for h, f in COLUMNS}
            for field, messages in error.message_dict.items():
                for message in messages:
                    result.error(number, fields.get(field, field), message)
        result.rows.append(values)
    if not rows and not result.errors:
        result.error(2, "", _("The sheet has no indicator."))
    return result
