"""Excel in and out for the budget: import templates, row validation, and the execution export.

Imports read the layout a finance system exports (one header row, amounts in yuan). Every row is
validated before anything is written; one error anywhere and nothing is imported.
The export writes the tables of the execution page, in 万元, in the layout the station submits.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from rescue_station.formatting import yuan_to_wan
from rescue_station.models import Station
from rescue_station.spreadsheets import (
    ImportResult,
    parse_date,
    parse_decimal,
    print_setup,
    write_sheet,
)

from . import selectors, services
from .models import (
    NATURE_OFFICIAL,
    BudgetLine,
    Expenditure,
    FunctionClass,
    FundingSource,
    Nature,
    Project,
)
from .selectors import cents
from .types import TOTAL_LINE

LINE_HEADERS = [
    "年度",
    "资金来源",
    "支出性质",
    "功能分类科目编码",
    "功能分类科目名称",
    "项目名称",
    "年初预算数（元）",
    "全年预算数（元）",
    "摘要",
]
EXPENDITURE_HEADERS = ["预算指标编号", "凭证日期", "凭证号", "金额（元）", "摘要"]
NATURE_BY_NAME = {v: k for k, v in NATURE_OFFICIAL.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _year(value: Any) -> int:
    text = _text(value)
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise ValueError(_("“%(value)s” is not a year.") % {"value": text})
    return int(text)


def _amount(value: Any, *, positive: bool = False) -> Decimal:
    amount = parse_decimal(value)
    if positive and amount <= 0:
        raise ValueError(_("The amount must be above zero."))
    if amount < 0:
        raise ValueError(_("The amount cannot be negative."))
    return amount


def _line_key(data: dict[str, Any]) -> tuple:
    """What makes two budget lines the same: all but the amounts (model instances or ids)."""

    def pk(value: Any) -> Any:
        return getattr(value, "pk", value)

    return (
        data["year"],
        pk(data["source"]),
        data["nature"],
        pk(data["function_class"]),
        pk(data["project"]),
        data.get("description") or "",
    )


def _merge_model_errors(
    result: ImportResult, row: int, error: ValidationError, columns: dict[str, str]
) -> None:
    for field, messages in error.message_dict.items():
        for message in messages:
            result.error(row, columns.get(field, _("Row")), message)


def validate_lines(station: Station, records: list[tuple[int, dict[str, Any]]]) -> ImportResult:
    """Validate budget line rows; ``result.rows`` holds the data for ``budget_lines_import``."""
    result = ImportResult()
    sources = {}
    for source in FundingSource.objects.all():
        sources[source.name] = sources[source.full_name or source.name] = source
    codes = {c.code: c for c in FunctionClass.objects.filter(active=True)}
    projects = {(p.year, p.name): p for p in Project.objects.for_station(station)}
    columns = {
        "year": "年度",
        "source": "资金来源",
        "nature": "支出性质",
        "function_class": "功能分类科目编码",
        "project": "项目名称",
        "initial": "年初预算数（元）",
        "adjusted": "全年预算数（元）",
        "description": "摘要",
    }
    seen = {
        _line_key(values)
        for values in BudgetLine.objects.for_station(station).values(
            "year", "source", "nature", "function_class", "project", "description"
        )
    }
    for number, record in records:
        errors_before = len(result.errors)
        data: dict[str, Any] = {"description": _text(record.get("摘要"))[:200]}
        parsers = [("year", "年度", _year), ("initial", "年初预算数（元）", _amount)]
        parsers.append(("adjusted", "全年预算数（元）", _amount))
        for field, column, parse in parsers:
            try:
                data[field] = parse(record.get(column))
            except ValueError as error:
                result.error(number, column, str(error))
        source = sources.get(_text(record.get("资金来源")))
        if source is None:
            result.error(
                number,
                "资金来源",
                _("Unknown funding source “%(value)s”.") % {"value": _text(record.get("资金来源"))},
            )
        data["source"] = source
        nature = NATURE_BY_NAME.get(_text(record.get("支出性质")))
        if nature is None:
            result.error(
                number,
                "支出性质",
                _(
                    "Unknown nature “%(value)s”: use 基本支出-人员经费, 基本支出-公用经费 or 项目支出."
                )
                % {"value": _text(record.get("支出性质"))},
            )
        data["nature"] = nature
        code = _text(record.get("功能分类科目编码"))
        function_class = codes.get(code)
        if function_class is None or len(code) != 7:
            result.error(
                number,
                "功能分类科目编码",
                _("Unknown function code “%(value)s” (a 7-digit code of the catalogue).")
                % {"value": code},
            )
        data["function_class"] = function_class
        project_name = _text(record.get("项目名称"))
        data["project"] = None
        if project_name:
            project = projects.get((data.get("year"), project_name))
            if project is None:
                result.error(
                    number,
                    "项目名称",
                    _("No project “%(name)s” of that year in this station: add it first.")
                    % {"name": project_name},
                )
            data["project"] = project
        if len(result.errors) == errors_before:
            line = BudgetLine(station=station, **data)
            try:
                line.full_clean()
            except ValidationError as error:
                _merge_model_errors(result, number, error, columns)
            else:
                key = _line_key(data)
                if key in seen:
                    result.error(
                        number,
                        "摘要",
                        _(
                            "The same budget line is already in this station or earlier in the file: describe it apart in 摘要 or leave it out."
                        ),
                    )
                else:
                    seen.add(key)
                    result.rows.append(data)
    return result


EXPENDITURE_COLUMNS = {
    "line": "预算指标编号",
    "date": "凭证日期",
    "amount": "金额（元）",
    "voucher_no": "凭证号",
    "description": "摘要",
}


def validate_expenditures(
    station: Station, records: list[tuple[int, dict[str, Any]]]
) -> ImportResult:
    """Validate expenditure rows; ``result.rows`` holds the data for ``expenditures_import``."""
    result = ImportResult()
    numbers = set()
    for _n, record in records:
        text = _text(record.get("预算指标编号")).lstrip("#")
        if text.isdigit():
            numbers.add(int(text))
    lines = {
        line.pk: line for line in BudgetLine.objects.for_station(station).filter(pk__in=numbers)
    }
    # What is already recorded, so that importing the same export twice is refused.
    recorded = (
        Expenditure.objects.live()
        .filter(line__in=list(lines.values()))
        .values_list("line_id", "date", "voucher_no", "amount")
    )
    seen = {(a, b, c, cents(d)) for a, b, c, d in recorded}
    # 无预算不支出: what each line has left, less the rows above it in the file.
    remaining = {
        line.pk: line.adjusted - cents(line.executed)
        for line in selectors.with_execution(
            BudgetLine.objects.filter(pk__in=list(lines))
        ).order_by()
    }
    vouchers: set[tuple[int, str]] = set()  # (year, voucher) of the rows above
    for number, record in records:
        data: dict[str, Any] = {
            "voucher_no": _text(record.get("凭证号"))[:40],
            "description": _text(record.get("摘要"))[:200],
        }
        text = _text(record.get("预算指标编号")).lstrip("#")
        line = lines.get(int(text)) if text.isdigit() else None
        if line is None:
            result.error(
                number,
                "预算指标编号",
                _("“%(value)s” is not a budget line of this station.") % {"value": text},
            )
        data["line"] = line
        try:
            when: date | None = parse_date(record.get("凭证日期"))
        except ValueError as error:
            when = None
            result.error(number, "凭证日期", str(error))
        if when and line and when.year != line.year:
            result.error(
                number,
                "凭证日期",
                _("The date must fall inside the line's year (%(year)s).") % {"year": line.year},
            )
        data["date"] = when
        try:
            data["amount"] = _amount(record.get("金额（元）"), positive=True)
        except ValueError as error:
            result.error(number, "金额（元）", str(error))
        if not data["voucher_no"]:
            result.error(number, "凭证号", _("This cell is required."))
        if not any(e.row == number for e in result.errors):
            # The model's rules (a date that happened, no control character), as the form's.
            try:
                Expenditure(**data).full_clean(
                    exclude=["line"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                _merge_model_errors(result, number, error, EXPENDITURE_COLUMNS)
        if not any(e.row == number for e in result.errors):
            key = (line.pk, data["date"], data["voucher_no"], data["amount"])
            if key in seen:
                result.error(
                    number,
                    "凭证号",
                    _(
                        "This payment (line, date, voucher, amount) is already recorded or repeated in the file."
                    ),
                )
            elif (line.year, data["voucher_no"]) in vouchers:
                result.error(
                    number,
                    "凭证号",
                    _("Voucher number %(no)s is repeated in the file.")
                    % {"no": data["voucher_no"]},
                )
            elif data["amount"] > remaining[line.pk]:
                result.error(
                    number,
                    "金额（元）",
                    services.over_budget_message(line, data["amount"], remaining[line.pk]),
                )
            else:
                seen.add(key)
                vouchers.add((line.year, data["voucher_no"]))
                remaining[line.pk] -= data["amount"]
                result.rows.append(data)
    return result


def _title(sheet: Any, title: str, subtitle: str, width: int) -> None:
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([subtitle])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def _wan(amount: Decimal | None) -> Decimal | None:
    return yuan_to_wan(amount)


def _money_row(row: selectors.ExecutionRow) -> list[Any]:
    return [
        _wan(row.initial),
        _wan(row.adjusted),
        _wan(row.executed),
        row.rate,
        _wan(row.balance),
    ]


MONEY_HEADERS = ["年初预算数", "全年预算数", "全年执行数", "执行率（%）", "结余结转"]


def template_lines(station: Station, year: int) -> Workbook:
    """The import template for budget lines, with the reference lists on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "预算指标"
    write_sheet(sheet, LINE_HEADERS, [])
    ref = workbook.create_sheet("参考：科目与项目")
    rows: list[list[Any]] = [["资金来源", s.name, s.full_name] for s in FundingSource.objects.all()]
    rows += [["支出性质", name, ""] for name in NATURE_OFFICIAL.values()]
    rows += [
        ["功能分类科目", c.code, c.name]
        for c in FunctionClass.objects.filter(active=True, code__regex=r"^\d{7}$")
    ]
    rows += [
        ["项目", p.name, p.basis_document]
        for p in Project.objects.for_station(station).filter(year=year).order_by("name")
    ]
    write_sheet(ref, ["类别", "名称或编码", "说明"], rows, widths=[14, 36, 36])
    return workbook


def template_expenditures(station: Station, year: int) -> Workbook:
    """The import template for expenditures; the second sheet lists the year's budget lines."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "支出明细"
    write_sheet(sheet, EXPENDITURE_HEADERS, [], widths=[14, 14, 18, 16, 40])
    ref = workbook.create_sheet("参考：预算指标")
    lines = (
        BudgetLine.objects.for_station(station)
        .filter(year=year)
        .select_related("source", "function_class", "project")
    )
    write_sheet(
        ref,
        [
            "预算指标编号",
            "资金来源",
            "支出性质",
            "功能分类科目",
            "项目",
            "摘要",
            "全年预算数（元）",
        ],
        [
            [
                line.pk,
                line.source.name,
                NATURE_OFFICIAL[Nature(line.nature)],
                str(line.function_class),
                line.project.name if line.project else "",
                line.description,
                line.adjusted,
            ]
            for line in lines
        ],
    )
    return workbook


def execution_workbook(station: Station, year: int, today: date) -> Workbook:
    """The year's execution tables in 万元, as the station submits them."""
    block = selectors.budget_block(station=station, year=year)
    workbook = Workbook()
    subtitle = f"单位名称：{station.name}　　金额单位：万元"
    fmt = dict.fromkeys(range(1, 6), "#,##0.00")

    summary = workbook.active
    summary.title = "预算执行总表"
    _title(summary, f"{year}年度预算执行情况表", subtitle, 6)
    total = selectors.ExecutionRow(TOTAL_LINE, *selectors.amounts_tuple(block.total))
    rows: list[list[Any]] = [[total.label, *_money_row(total)], ["按收入性质分："]]
    rows += [[r.label, *_money_row(r)] for r in selectors.rows_by_source(block)]
    rows.append(["按支出性质分："])
    rows += [[r.label, *_money_row(r)] for r in selectors.rows_by_nature(block)]
    write_sheet(
        summary, ["项目", *MONEY_HEADERS], rows, widths=[30, 14, 14, 14, 12, 14], number_formats=fmt
    )
    print_setup(summary, orientation="portrait", header_rows=(3, 3))

    by_function = workbook.create_sheet("按功能分类")
    _title(by_function, f"{year}年度预算执行情况表（按支出功能分类）", subtitle, 7)
    function_rows = selectors.rows_by_function_tree(station, year)
    items = [r for r in function_rows if r.extra["level"] == 3]
    total = selectors.total_row(items, "合计")
    write_sheet(
        by_function,
        ["科目编码", "科目名称", *MONEY_HEADERS],
        [[r.code, r.label, *_money_row(r)] for r in [*function_rows, total]],
        widths=[12, 34, 14, 14, 14, 12, 14],
        number_formats=dict.fromkeys(range(2, 7), "#,##0.00"),
    )
    print_setup(by_function, orientation="portrait", header_rows=(3, 3))

    by_project = workbook.create_sheet("按项目")
    _title(by_project, f"{year}年度项目支出执行情况表", subtitle, 10)
    project_rows = selectors.rows_by_project(station, year)
    write_sheet(
        by_project,
        [
            "项目名称",
            "文号",
            "功能分类科目",
            "年中追加",
            "以前年度结转",
            "下达金额",
            "全年预算数",
            "全年执行数",
            "执行率（%）",
            "结余结转（下达−执行）",
        ],
        [
            [
                r.label,
                r.extra["project"].basis_document,
                r.code,
                "是" if r.extra["project"].added_mid_year else "否",
                "是" if r.extra["project"].carried_over else "否",
                _wan(r.extra["allocated"]),
                _wan(r.adjusted),
                _wan(r.executed),
                r.rate,
                _wan(r.extra["carried_forward"]),
            ]
            for r in project_rows
        ],
        widths=[30, 22, 12, 10, 12, 12, 12, 12, 12, 18],
        number_formats=dict.fromkeys((5, 6, 7, 8, 9), "#,##0.00"),
    )
    print_setup(by_project, orientation="landscape", header_rows=(3, 3))

    by_month = workbook.create_sheet("按月执行")
    _title(by_month, f"{year}年度预算按月执行情况", subtitle, 5)
    months = selectors.monthly(station, year, block.total.adjusted, today)
    write_sheet(
        by_month,
        ["月份", "当月执行数", "累计执行数", "累计执行率（%）", "时间进度（%）"],
        [
            [f"{m.month}月", _wan(m.executed), _wan(m.cumulative), m.cumulative_rate, m.year_share]
            for m in months
            if not m.future
        ],
        widths=[10, 14, 14, 16, 14],
        number_formats=dict.fromkeys(range(1, 5), "#,##0.00"),
    )
    print_setup(by_month, orientation="portrait", header_rows=(3, 3))
    return workbook
