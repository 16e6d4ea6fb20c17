"""The station's statistics of its assistance work (issue 14, item 4): the intakes (人次) and
person-days (人天次) of a period split by sex, age band, health, source, province of origin,
departure type, special group and month, with the figures of street work, tracing and escorts.

Every table counts the stays of the metrics ``cases.intakes`` and ``cases.person_days`` with the
same rules (``cases.metrics``: a refused request is left out; person-days are the nights inside
the period, ``person_days_expression``), so a table's total is those metrics exactly. Each table
but the special groups splits the whole: every stay falls in exactly one of its rows (an
"unknown" row takes the stays whose value is missing). One aggregate query per table, grouped in
the database; the figures are the registry's metrics themselves.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils.translation import gettext as _

from rescue_station import registry
from rescue_station import selectors as core_selectors
from rescue_station.models import Station
from rescue_station.query import YEAR_MIN, year_max

from . import metrics
from .models import ExitType, Gender, HealthStatus, Source, Stay

UNKNOWN = "unknown"
NOT_DEPARTED = "not_departed"
MAX_PERIOD_YEARS = 5  # by_month lists each month: a longer period is a multi-year archive query

# GB/T 2260: the first two digits of a region code (and of a resident ID number) name the
# province. Names as a hometown is written (湖南省株洲市…, 广西…), the short form matching both.
PROVINCES: tuple[tuple[str, str], ...] = (
    ("11", "北京"),
    ("12", "天津"),
    ("13", "河北"),
    ("14", "山西"),
    ("15", "内蒙古"),
    ("21", "辽宁"),
    ("22", "吉林"),
    ("23", "黑龙江"),
    ("31", "上海"),
    ("32", "江苏"),
    ("33", "浙江"),
    ("34", "安徽"),
    ("35", "福建"),
    ("36", "江西"),
    ("37", "山东"),
    ("41", "河南"),
    ("42", "湖北"),
    ("43", "湖南"),
    ("44", "广东"),
    ("45", "广西"),
    ("46", "海南"),
    ("50", "重庆"),
    ("51", "四川"),
    ("52", "贵州"),
    ("53", "云南"),
    ("54", "西藏"),
    ("61", "陕西"),
    ("62", "甘肃"),
    ("63", "青海"),
    ("64", "宁夏"),
    ("65", "新疆"),
    ("71", "台湾"),
    ("81", "香港"),
    ("82", "澳门"),
)
PROVINCE_NAMES = dict(PROVINCES)

# Age bands at intake (completed years on the admission date).
AGE_BANDS = (("under_18", 0, 18), ("18_59", 18, 60), ("60_plus", 60, None))


@dataclass(frozen=True)
class Row:
    """One row of a table: ``value`` is the row's key (a choice, a province code, a month)."""

    value: str
    label: str
    intakes: int
    person_days: int


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    rows: list[Row]
    intakes: int
    person_days: int
    splits: bool = True  # the rows add up to the total (all but the special groups)


@dataclass(frozen=True)
class Figure:
    key: str  # the metric's key
    label: str
    unit: str
    value: int


@dataclass(frozen=True)
class Statistics:
    station: Station
    start: date
    end: date
    tables: list[Table]
    figures: list[Figure]

    @property
    def intakes(self) -> int:
        return self.tables[0].intakes

    @property
    def person_days(self) -> int:
        return self.tables[0].person_days

    def to_json(self) -> dict[str, Any]:
        return {
            "station": self.station.code,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "tables": [
                {
                    "key": t.key,
                    "title": t.title,
                    "rows": [
                        {"label": r.label, "intakes": r.intakes, "person_days": r.person_days}
                        for r in t.rows
                    ],
                    "total": {"intakes": t.intakes, "person_days": t.person_days},
                }
                for t in self.tables
            ],
            "figures": {f.key: f.value for f in self.figures},
        }


FIGURES = (
    "cases.escorted_home",
    "cases.tracing_successes",
    "cases.street_patrols",
    "cases.street_persons_assisted",
)


# ------------------------------------------------------------------------- the period


class PeriodError(ValueError):
    """A period the statistics cannot be asked for; the message is the user's (Chinese)."""


def statistics_period(
    year: int | None = None, start: date | None = None, end: date | None = None
) -> tuple[date, date]:
    """The period [start, end] of a year, or of two dates: end not before start, both within
    the years the pages serve, at most MAX_PERIOD_YEARS long."""
    if year is not None:
        if start or end:
            raise PeriodError(_("Give a year, or a start and an end date, not both."))
        start, end = date(year, 1, 1), date(year, 12, 31)
    elif start is None or end is None:
        raise PeriodError(_("Give a year, or both a start and an end date."))
    if end < start:
        raise PeriodError(_("The end date cannot be before the start date."))
    for day in (start, end):
        if not YEAR_MIN <= day.year <= year_max():
            raise PeriodError(
                _("The period must lie in the years %(min)s to %(max)s.")
                % {"min": YEAR_MIN, "max": year_max()}
            )
    if (end - start).days >= 366 * MAX_PERIOD_YEARS:
        raise PeriodError(
            _("The period can be at most %(years)s years long.") % {"years": MAX_PERIOD_YEARS}
        )
    return start, end


def months_of(start: date, end: date) -> list[tuple[date, date]]:
    """Each calendar month touched by [start, end], clipped to it."""
    months = []
    first = start
    while first <= end:
        last_day = calendar.monthrange(first.year, first.month)[1]
        last = min(date(first.year, first.month, last_day), end)
        months.append((first, last))
        first = last + timedelta(days=1)
    return months


# ------------------------------------------------------------------------- the dimensions


def _int(expression: Any) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=IntegerField())


def age_at_intake_expression() -> ExpressionWrapper:
    """Completed years on the admission date, from the person's birth date, as an SQL integer
    ``(admitted YYYYMMDD - born YYYYMMDD) / 10000`` compared by bands: NULL without a birth date.
    A birthday on 29 February comes of age on 1 March, as ``cases.services.age_on``."""
    admitted = _int(
        ExtractYear("admitted_on") * 10000
        + ExtractMonth("admitted_on") * 100
        + ExtractDay("admitted_on")
    )
    born = _int(
        ExtractYear("person__birth_date") * 10000
        + ExtractMonth("person__birth_date") * 100
        + ExtractDay("person__birth_date")
    )
    return _int(admitted - born)


def age_band_expression() -> Case:
    """The age band at intake: from the birth date (the services fill it from the ID number),
    else the estimated age the person was registered with, else the minor flag set at intake,
    else unknown."""
    whens = []
    for key, low, high in AGE_BANDS:
        by_birth = Q(person__birth_date__isnull=False, age_span__gte=low * 10000)
        by_estimate = Q(person__birth_date__isnull=True, person__estimated_age__gte=low)
        if high is not None:
            by_birth &= Q(age_span__lt=high * 10000)
            by_estimate &= Q(person__estimated_age__lt=high)
        whens += [When(by_birth, then=Value(key)), When(by_estimate, then=Value(key))]
    whens.append(When(is_minor=True, then=Value("under_18")))
    return Case(*whens, default=Value(UNKNOWN), output_field=CharField())


def province_expression() -> Case:
    """The province of origin: the ID number's first two digits (GB/T 2260), else the first
    province named in the hometown, else unknown."""
    by_id = [
        When(person__id_number__startswith=code, then=Value(code)) for code, _name in PROVINCES
    ]
    by_hometown = [
        When(person__hometown__contains=name, then=Value(code)) for code, name in PROVINCES
    ]
    return Case(*by_id, *by_hometown, default=Value(UNKNOWN), output_field=CharField())


def _choice(field: str, known: list[str]) -> Case:
    return Case(
        When(**{f"{field}__in": known}, then=F(field)),
        default=Value(UNKNOWN),
        output_field=CharField(),
    )


def exit_expression(end: date | None) -> Case:
    """The departure type of a stay that left by the period's end; "not departed" for a stay
    still in the station on the period's last day (without an end: now)."""
    still_here = Q(left_on__isnull=True)
    if end is not None:
        still_here |= Q(left_on__gt=end)
    return Case(
        When(still_here, then=Value(NOT_DEPARTED)),
        When(exit_type__in=list(ExitType.values), then=F("exit_type")),
        default=Value(UNKNOWN),
        output_field=CharField(),
    )


def special_groups() -> list[tuple[str, str, Q]]:
    """The special groups (they overlap): key, label, condition on a stay (age_band annotated)."""
    return [
        ("minors", _("Minors (under 18)"), Q(is_minor=True)),
        ("elderly", _("Elderly (60 and over)"), Q(age_band="60_plus")),
        ("disability", _("Persons with a disability"), Q(health_status=HealthStatus.DISABILITY)),
        (
            "mental_illness",
            _("Persons with a mental illness"),
            Q(health_status=HealthStatus.MENTAL_ILLNESS),
        ),
        ("unidentified", _("Unidentified persons"), Q(person__identified=False)),
    ]


# ------------------------------------------------------------------------- the queries


def counted_stays(station: Station, start: date, end: date) -> QuerySet[Stay]:
    """The stays that can count in the period, as ``cases.metrics.stay_metrics`` takes them: not
    a refused request, admitted by the period's end, not gone before its start."""
    return (
        Stay.objects.for_station(station)
        .exclude(exit_type=ExitType.HELP_REFUSED)
        .filter(admitted_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
    )


def _grouped(stays: QuerySet[Stay], expression: Any, start: date, end: date) -> dict[str, Row]:
    today = core_selectors.local_today()
    rows = (
        stays.annotate(dim=expression)
        .values("dim")
        .annotate(
            intakes=Count("pk", filter=Q(admitted_on__gte=start, admitted_on__lte=end)),
            person_days=Sum(metrics.person_days_expression(start, end, today)),
        )
        .order_by()
    )
    return {
        r["dim"]: Row(r["dim"], "", r["intakes"], metrics._days(r["person_days"])) for r in rows
    }


def _table(
    key: str,
    title: str,
    counts: dict[str, Row],
    labels: list[tuple[str, str]],
    *,
    always: set[str],
) -> Table:
    """The rows in ``labels`` order; a row with no stays is kept when it is a fixed row of the
    form (every choice, and the ``always`` ones), else left out."""
    rows = []
    for value, label in labels:
        found = counts.get(value)
        if found is None and value not in always and value == UNKNOWN:
            continue
        rows.append(
            Row(value, label, found.intakes if found else 0, found.person_days if found else 0)
        )
    missing = set(counts) - {v for v, _l in labels}
    assert not missing, f"{key}: values without a row: {missing}"  # the rows split the whole
    return Table(
        key,
        title,
        rows,
        sum(r.intakes for r in rows),
        sum(r.person_days for r in rows),
    )


def _unknown() -> tuple[str, str]:
    return (UNKNOWN, _("Unknown"))


def _by_month(stays: QuerySet[Stay], start: date, end: date) -> Table:
    """One query: a stay's intake in the month it began, its nights in the months they fall in
    (the person-days rule applied to each month, so that the months add up to the period)."""
    today = core_selectors.local_today()
    months = months_of(start, end)
    aggregates = {}
    for i, (first, last) in enumerate(months):
        aggregates[f"i{i}"] = Count("pk", filter=Q(admitted_on__gte=first, admitted_on__lte=last))
        aggregates[f"d{i}"] = Sum(metrics.person_days_expression(first, last, today))
    values = stays.aggregate(**aggregates)
    several_years = start.year != end.year
    rows = []
    for i, (first, _last) in enumerate(months):
        label = (
            _("%(year)s-%(month)02d") % {"year": first.year, "month": first.month}
            if several_years
            else _("Month %(month)s") % {"month": first.month}
        )
        rows.append(
            Row(first.isoformat(), label, values[f"i{i}"] or 0, metrics._days(values[f"d{i}"]))
        )
    return Table(
        "by_month",
        TITLES["by_month"](),
        rows,
        sum(r.intakes for r in rows),
        sum(r.person_days for r in rows),
    )


def _special(stays: QuerySet[Stay], start: date, end: date, whole: Table) -> Table:
    today = core_selectors.local_today()
    admitted = Q(admitted_on__gte=start, admitted_on__lte=end)
    days = metrics.person_days_expression(start, end, today)
    groups = special_groups()
    aggregates = {}
    for key, _label, condition in groups:
        aggregates[f"i_{key}"] = Count("pk", filter=admitted & condition)
        aggregates[f"d_{key}"] = Sum(days, filter=condition)
    values = stays.annotate(age_band=age_band_expression()).aggregate(**aggregates)
    rows = [
        Row(key, label, values[f"i_{key}"] or 0, metrics._days(values[f"d_{key}"]))
        for key, label, _c in groups
    ]
    # The groups overlap: the total is the whole's, not the rows' sum.
    return Table(
        "special_groups",
        TITLES["special_groups"](),
        rows,
        whole.intakes,
        whole.person_days,
        splits=False,
    )


def _labels(key: str) -> list[tuple[str, str]]:
    """Every row a table can have, in order: (value, label)."""
    if key == "by_sex":
        return [(Gender.MALE, _("Male")), (Gender.FEMALE, _("Female")), _unknown()]
    if key == "by_age":
        return [
            ("under_18", _("Under 18")),
            ("18_59", _("18 to 59")),
            ("60_plus", _("60 and over")),
            _unknown(),
        ]
    if key == "by_health":
        return [*((c.value, str(c.label)) for c in HealthStatus), _unknown()]
    if key == "by_source":
        return [*((c.value, str(c.label)) for c in Source), _unknown()]
    if key == "by_province":
        return [*PROVINCES, _unknown()]
    if key == "by_exit_type":
        return [
            *((c.value, str(c.label)) for c in ExitType if c != ExitType.HELP_REFUSED),
            (NOT_DEPARTED, _("Not yet departed (at the period's end)")),
            _unknown(),
        ]
    if key == "special_groups":
        return [(k, label) for k, label, _c in special_groups()]
    raise KeyError(key)


def _dimension(key: str, end: date | None) -> Any:
    """The SQL expression giving each stay its row of the table ``key`` (on stays annotated
    with ``age_span``)."""
    if key == "by_sex":
        return _choice("person__gender", [Gender.MALE, Gender.FEMALE])
    if key == "by_age":
        return age_band_expression()
    if key == "by_health":
        return _choice("health_status", list(HealthStatus.values))
    if key == "by_source":
        return _choice("source", list(Source.values))
    if key == "by_province":
        return province_expression()
    if key == "by_exit_type":
        return exit_expression(end)
    raise KeyError(key)


# The tables whose rows split the whole, in the form's order; then the special groups, by month.
SPLITTING = ("by_sex", "by_age", "by_health", "by_source", "by_province", "by_exit_type")
TITLES = {
    "by_sex": lambda: _("By sex"),
    "by_age": lambda: _("By age at intake"),
    "by_health": lambda: _("By health status at intake"),
    "by_source": lambda: _("By source of intake"),
    "by_province": lambda: _("By province of origin"),
    "by_exit_type": lambda: _("By departure type"),
    "special_groups": lambda: _("Special groups"),
    "by_month": lambda: _("By month"),
}
# Rows kept with no stays: the fixed rows of the form. A province, or an unknown value
# elsewhere, is listed only when it has stays.
ALWAYS_UNKNOWN = {"by_sex", "by_age", "by_province"}


def station_statistics(station: Station, start: date, end: date) -> Statistics:
    """The station's statistics of [start, end] (both local dates, inclusive)."""
    stays = counted_stays(station, start, end).annotate(age_span=age_at_intake_expression())
    tables = []
    for key in SPLITTING:
        counts = _grouped(stays, _dimension(key, end), start, end)
        labels = _labels(key)
        if key == "by_province":
            labels = [(v, label) for v, label in labels if v in counts or v == UNKNOWN]
        always = {UNKNOWN} if key in ALWAYS_UNKNOWN else set()
        tables.append(_table(key, TITLES[key](), counts, labels, always=always))
    tables.append(_special(stays, start, end, tables[0]))
    tables.append(_by_month(stays, start, end))
    return Statistics(station, start, end, tables, _figures(station, start, end))


# ------------------------------------------------------------------------- the records behind


def row_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The rows a list of stays can be narrowed to, grouped by table: ``table:value``."""
    keys = [*SPLITTING, "special_groups"]
    return [(TITLES[k](), [(f"{k}:{v}", label) for v, label in _labels(k)]) for k in keys]


def filter_row(stays: QuerySet[Stay], row: str, end: date | None) -> QuerySet[Stay]:
    """The stays of one row (``table:value``) of a table: those a table of a period ending on
    ``end`` counts in that row (the departure type as it was on ``end``; now without an end)."""
    key, _sep, value = row.partition(":")
    stays = stays.annotate(age_span=age_at_intake_expression())
    if key == "special_groups":
        condition = {k: c for k, _label, c in special_groups()}[value]
        return stays.annotate(age_band=age_band_expression()).filter(condition)
    return stays.annotate(stat_row=_dimension(key, end)).filter(stat_row=value)


def _figures(station: Station, start: date, end: date) -> list[Figure]:
    values = registry.compute_many(FIGURES, station, start, end)
    result = []
    for key in FIGURES:
        metric = registry.get(key)
        result.append(Figure(key, str(metric.label), str(metric.unit), int(values[key] or 0)))
    return result
