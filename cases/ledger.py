"""The intake ledger (台账) in Excel: the import template, its validation, and the list export.

The column headers are the ledger's own Chinese names: a station's clerks fill in this sheet, and
the same names come back on import whatever the interface language is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from rescue_station.models import Station
from rescue_station.plausible import local_date
from rescue_station.spreadsheets import ImportResult, parse_date, parse_decimal, write_sheet
from rescue_station.validators import mask_id_number, normalise_id_number

from . import services
from .models import Gender, HealthStatus, Person, Source, Stay

COLUMNS = [
    "入站时间",
    "姓名",
    "身份不明",
    "性别",
    "出生日期",
    "估计年龄",
    "身份证号码",
    "籍贯",
    "来源",
    "护送人/单位",
    "求助原因",
    "体温",
    "健康状况",
]
EXAMPLE = [
    "2024-03-01 09:30",
    "张三",
    "否",
    "男",
    "1975-06-01",
    "",
    "",
    "湖南省株洲市攸县",
    "公安护送",
    "株洲火车站派出所",
    "务工未果，身无分文",
    "36.5",
    "良好",
]
YES, NO = "是", "否"


def _labels(choices: Any) -> dict[str, str]:
    """Chinese label (and the code itself) -> code, for cells typed by hand."""
    with translation.override("zh-hans"):
        mapping = {str(label): value for value, label in choices}
    mapping.update({value: value for value, _label in choices})
    return mapping


def template_workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "入站登记台账"
    write_sheet(sheet, COLUMNS, [EXAMPLE], widths=[18, 10, 8, 6, 12, 8, 22, 20, 12, 16, 24, 6, 10])
    notes = workbook.create_sheet("填写说明")
    with translation.override("zh-hans"):
        write_sheet(
            notes,
            ["列", "说明"],
            [
                ["入站时间", "YYYY-MM-DD HH:MM 或 YYYY-MM-DD，必填"],
                ["姓名", "身份不明时可留空或填临时称呼"],
                ["身份不明", "是 / 否"],
                ["性别", " / ".join(str(label) for _v, label in Gender.choices)],
                ["身份证号码", "18位（末位可为X）或15位，校验码须正确"],
                ["来源", " / ".join(str(label) for _v, label in Source.choices)],
                ["健康状况", " / ".join(str(label) for _v, label in HealthStatus.choices)],
                ["体温", "摄氏度，30.0～45.0"],
            ],
            widths=[14, 60],
        )
    return workbook


@dataclass
class LedgerRow:
    row: int
    admitted_at: datetime
    identified: bool
    person_data: dict[str, Any]
    source: str
    brought_by: str
    reason: str
    temperature: Decimal | None
    health_status: str
    # Made by ``validate``: the values are as the models' rules cleaned and left them, and the
    # import does not clean them again (a row made otherwise is cleaned on import).
    cleaned: bool = False

    @property
    def display_name(self) -> str:
        return self.person_data.get("name") or _("(unidentified)")


def _parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        naive = value
    else:
        text = str(value or "").strip()
        try:
            naive = datetime.fromisoformat(text.replace("/", "-"))
        except ValueError:
            naive = datetime.combine(parse_date(value), time(0))
    if timezone.is_naive(naive):
        return timezone.make_aware(naive, timezone.get_current_timezone())
    return naive


# The model field each column fills: the models' rules (the same for the page form, this
# import and the services) name a field, the import names the column.
COLUMN_OF = {
    "admitted_at": "入站时间",
    "name": "姓名",
    "identified": "身份不明",
    "gender": "性别",
    "birth_date": "出生日期",
    "estimated_age": "估计年龄",
    "id_number": "身份证号码",
    "hometown": "籍贯",
    "source": "来源",
    "brought_by": "护送人/单位",
    "reason": "求助原因",
    "temperature": "体温",
    "health_status": "健康状况",
    "health_note": "健康状况",
}


def validate(rows: list[tuple[int, dict[str, Any]]]) -> ImportResult:
    """Check every row; the result holds either ready rows or errors by row and column.

    The cells are parsed here; what a value may be is the models' rule, checked by cleaning the
    person and the stay the row would make (nothing is saved)."""
    result = ImportResult()
    labels = {
        "性别": _labels(Gender.choices),
        "来源": _labels(Source.choices),
        "健康状况": _labels(HealthStatus.choices),
    }
    defaults_valid = {model: _defaults_valid(model) for model in (Person, Stay)}
    for number, cells in rows:
        row = _validate_row(result, number, cells, labels, defaults_valid)
        if row is not None:
            result.rows.append(row)
    return result


def _validate_row(
    result: ImportResult,
    number: int,
    cells: dict[str, Any],
    labels: dict[str, dict[str, str]],
    defaults_valid: dict[type, set[str]],
) -> LedgerRow | None:
    errors_before = len(result.errors)
    failed: set[str] = set()  # fields whose cell could not be read: not checked again

    def cell(column: str) -> str:
        value = cells.get(column)
        return "" if value is None else str(value).strip()

    def refuse(field: str, message: str) -> None:
        failed.add(field)
        result.error(number, COLUMN_OF[field], message)

    def unknown_value(column: str) -> str:
        return _("Unknown value “%(value)s”.") % {"value": cell(column)}

    admitted_at = None
    try:
        admitted_at = _parse_datetime(cells.get("入站时间"))
    except ValueError as error:
        refuse("admitted_at", str(error))
    unknown = cell("身份不明") or NO
    if unknown not in (YES, NO):
        refuse("identified", _("Write 是 or 否."))
    gender = labels["性别"].get(cell("性别")) if cell("性别") else Gender.UNKNOWN
    if gender is None:
        refuse("gender", unknown_value("性别"))
    birth = None
    if cell("出生日期"):
        try:
            birth = parse_date(cells.get("出生日期"))
        except ValueError as error:
            refuse("birth_date", str(error))
    age = None
    if cell("估计年龄"):
        try:
            age = int(parse_decimal(cells.get("估计年龄"), places=0))
        except ValueError as error:
            refuse("estimated_age", str(error))
    source = labels["来源"].get(cell("来源"))
    if source is None:
        refuse("source", unknown_value("来源"))
    temperature = None
    if cell("体温"):
        try:
            temperature = parse_decimal(cells.get("体温"), places=1)
        except ValueError as error:
            refuse("temperature", str(error))
    status = labels["健康状况"].get(cell("健康状况") or "good")
    if status is None:
        refuse("health_status", unknown_value("健康状况"))
    person_values = {
        "identified": unknown == NO,
        "name": cell("姓名"),
        "gender": gender or Gender.UNKNOWN,
        "birth_date": birth,
        "estimated_age": age,
        "id_number": normalise_id_number(cell("身份证号码")),
        "hometown": cell("籍贯"),
    }
    stay_values = {
        "admitted_at": admitted_at,
        "admitted_on": local_date(admitted_at) if admitted_at else None,
        "source": source or "",
        "brought_by": cell("护送人/单位"),
        "reason": cell("求助原因"),
        "temperature": temperature,
        "health_status": status or HealthStatus.GOOD,
    }
    person, stay = Person(**person_values), Stay(**stay_values)
    for record, values, exclude in (
        (person, person_values, {"station"}),
        (stay, stay_values, {"station", "person"}),
    ):
        # The fields the row leaves at their defaults are known to pass (``validate``).
        defaults_passed = defaults_valid[type(record)] - values.keys()
        _check_record(result, number, record, exclude | failed, defaults_passed)
    if len(result.errors) > errors_before or admitted_at is None:
        return None
    return LedgerRow(
        row=number,
        admitted_at=admitted_at,
        identified=person.identified,
        # As the person's rules filled them: the birth date and sex an ID number gives.
        person_data={k: getattr(person, k) for k in LEDGER_PERSON_FIELDS},
        source=stay.source,
        brought_by=stay.brought_by,
        reason=stay.reason,
        temperature=stay.temperature,
        health_status=stay.health_status,
        cleaned=True,
    )


LEDGER_PERSON_FIELDS = ("name", "gender", "birth_date", "estimated_age", "id_number", "hometown")


def _defaults_valid(model: type) -> set[str]:
    """The fields whose default the model's field rules accept, checked once for the file: a
    field a row leaves at its default has the same value in every row, and the same answer.
    (The record's own ``clean`` still sees every field on every row.)"""
    fields = model._meta.concrete_fields
    # A default made per record (a callable) may differ from row to row.
    constant = {f.name for f in fields if not (f.has_default() and callable(f.default))}
    try:
        model().clean_fields(exclude={f.name for f in fields} - constant)
    except ValidationError as error:
        return constant - set(error.error_dict)
    return constant


def _check_record(
    result: ImportResult, number: int, record: Any, exclude: set[str], checked: set[str]
) -> None:
    """The model's rules on ``record``; its errors but those of the fields in ``exclude``, by
    column (``checked``: fields whose values are known to pass, not cleaned again)."""
    try:
        record.full_clean(
            exclude=exclude | checked, validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field not in exclude:
                result.error(number, COLUMN_OF.get(field, "—"), " ".join(messages))


class ImportFailed(Exception):
    def __init__(self, result: ImportResult) -> None:
        super().__init__("import failed")
        self.result = result


def import_rows(*, station: Station, acting_user: Any, result: ImportResult) -> list[Stay]:
    """Register every row, or none: a row the services refuse rolls the whole file back."""
    if not result.ok:
        raise ImportFailed(result)
    intakes = [
        {
            "admitted_at": row.admitted_at,
            "source": row.source,
            "identified": row.identified,
            "person_data": row.person_data,
            "brought_by": row.brought_by,
            "reason": row.reason,
            "temperature": row.temperature,
            "health_status": row.health_status,
        }
        for row in result.rows
    ]
    try:
        return services.stays_register_many(
            station=station,
            acting_user=acting_user,
            intakes=intakes,
            cleaned=all(row.cleaned for row in result.rows),
        )
    except services.IntakeRefused as error:  # the service's transaction has rolled back
        failed = ImportResult()
        for field, messages in (
            error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
        ):
            failed.error(result.rows[error.index].row, field or "—", " ".join(messages))
        raise ImportFailed(failed) from error


EXPORT_COLUMNS = [
    "登记号",
    "姓名/临时编号",
    "性别",
    "身份证号码",
    "籍贯",
    "入站时间",
    "来源",
    "未成年人",
    "离站时间",
    "离站方式",
    "在站天数",
]


def export_workbook(stays: QuerySet[Stay], *, show_minors: bool, today: Any) -> Workbook:
    """The filtered list as a sheet: ID numbers masked, text cells neutralised by write_sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "救助记录"

    def rows():
        for stay in stays.iterator(chunk_size=500):
            person = stay.person
            hidden = stay.is_minor and not show_minors
            yield [
                stay.pk,
                _("(minor)") if hidden else str(person),
                person.get_gender_display(),
                "" if hidden else mask_id_number(person.id_number),
                "" if hidden else person.hometown,
                timezone.localtime(stay.admitted_at).strftime("%Y-%m-%d %H:%M"),
                stay.get_source_display(),
                YES if stay.is_minor else NO,
                timezone.localtime(stay.left_at).strftime("%Y-%m-%d %H:%M") if stay.left_at else "",
                stay.get_exit_type_display(),
                stay.nights(today),
            ]

    with translation.override("zh-hans"):
        write_sheet(
            sheet, EXPORT_COLUMNS, rows(), widths=[8, 14, 6, 22, 20, 18, 12, 10, 18, 12, 10]
        )
    return workbook


def records_workbook(
    records: QuerySet[Any], fields: list[str], title: str, *, show_minors: bool = True
) -> Workbook:
    """A station list (patrols, tickets, safety checks, long stays) as a sheet: one column per
    field, headed by the field's name in Chinese, choices by their labels, text neutralised.

    Without ``show_minors`` the person of a record annotated ``was_minor`` is not named."""
    model = records.model
    workbook = Workbook()
    sheet = workbook.active
    with translation.override("zh-hans"):
        sheet.title = title[:31]
        headers = [str(model._meta.get_field(name).verbose_name) for name in fields]

        def value(record: Any, name: str) -> Any:
            if name == "person" and not show_minors and getattr(record, "was_minor", False):
                return str(_("(minor)"))
            field = model._meta.get_field(name)
            if field.choices:
                return getattr(record, f"get_{name}_display")()
            raw = getattr(record, name)
            if isinstance(raw, datetime):
                return timezone.localtime(raw).strftime("%Y-%m-%d %H:%M")
            if raw is None:
                return ""
            if isinstance(raw, bool):
                return YES if raw else NO
            return raw if isinstance(raw, int | Decimal | str) else str(raw)

        write_sheet(sheet, headers, ([value(r, n) for n in fields] for r in records.iterator()))
    return workbook
