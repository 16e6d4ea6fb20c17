"""Reads of the budget: the funds block, the execution tables and the lists behind the pages.

Every figure is an aggregate in the database: initial and adjusted are sums over the year's lines,
executed is a sum over their expenditures, each cut summed on its own.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth

from rescue_station.formatting import percent
from rescue_station.models import Station

from . import types
from .filters import ExpenditureFilter, LineFilter, ProjectFilter
from .models import (
    NATURE_OFFICIAL,
    NATURE_ORDER,
    BudgetLine,
    Expenditure,
    FunctionClass,
    Nature,
    Project,
)

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


def money_sum(expression: str, **filter_: Any) -> Coalesce:
    q = Q(**filter_) if filter_ else None
    return Coalesce(Sum(expression, filter=q), Value(ZERO), output_field=MONEY)


def cents(amount: Decimal | float | int | None) -> Decimal:
    """A sum as exact money: SQLite adds decimals as floats, so every sum is rounded to the cent."""
    if amount is None:
        return ZERO
    return Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def exact(rows: Iterable[Any], *names: str) -> list[Any]:
    """The rows with the named summed attributes rounded to the cent (``balance`` recomputed)."""
    out = []
    for row in rows:
        for name in names:
            setattr(row, name, cents(getattr(row, name)))
        if hasattr(row, "balance"):
            row.balance = row.adjusted - row.executed
        if hasattr(row, "carried_forward"):
            row.carried_forward = row.allocated - row.executed
        out.append(row)
    return out


def year_lines(station: Station, year: int) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.for_station(station).filter(year=year)


def year_expenditures(
    station: Station, year: int, as_of: date | None = None
) -> QuerySet[Expenditure]:
    """The expenditures of the year's lines; up to ``as_of`` (inclusive) when given."""
    spent = Expenditure.objects.live().for_station(station).filter(line__year=year)
    return spent.filter(date__lte=as_of) if as_of else spent


def budget_block(*, station: Station, year: int, as_of: date | None = None) -> types.BudgetBlock:
    """The funds block of the station's fiscal year (see ``budget.types.BudgetBlock``); executed
    up to ``as_of`` when given (mid-year monitoring).

    Four queries: lines and expenditures, each once by nature (with the total) and once by source.
    """
    natures = {
        types.PERSONNEL: {"nature": Nature.PERSONNEL},
        types.PUBLIC: {"nature": Nature.PUBLIC},
        types.BASIC: {"nature__in": [Nature.PERSONNEL, Nature.PUBLIC]},
        types.PROJECT: {"nature": Nature.PROJECT},
    }
    planned = year_lines(station, year).aggregate(
        sum_initial=money_sum("initial"),
        sum_adjusted=money_sum("adjusted"),
        **{f"i{n}": money_sum("initial", **f) for n, f in enumerate(natures.values())},
        **{f"a{n}": money_sum("adjusted", **f) for n, f in enumerate(natures.values())},
    )
    spent = year_expenditures(station, year, as_of).aggregate(
        sum_executed=money_sum("amount"),
        **{
            f"e{n}": money_sum("amount", **{f"line__{k}": v for k, v in f.items()})
            for n, f in enumerate(natures.values())
        },
    )
    by_nature = {
        name: types.Amounts(cents(planned[f"i{n}"]), cents(planned[f"a{n}"]), cents(spent[f"e{n}"]))
        for n, name in enumerate(natures)
    }
    by_source = {name: types.Amounts() for name in types.SOURCES}
    for name, amounts in _grouped(station, year, "source__name", as_of=as_of).items():
        by_source[name] = types.Amounts(*amounts)
    return types.BudgetBlock(
        station_code=station.code,
        year=year,
        total=types.Amounts(
            cents(planned["sum_initial"]),
            cents(planned["sum_adjusted"]),
            cents(spent["sum_executed"]),
        ),
        by_source=by_source,
        by_nature=by_nature,
    )


def _grouped(
    station: Station, year: int, *group: str, as_of: date | None = None, **filter_: Any
) -> dict[Any, tuple[Decimal, Decimal, Decimal]]:
    """(initial, adjusted, executed) by the values of ``group`` (paths from the budget line);
    executed up to ``as_of`` when given.

    A key is the value of the one path, or a tuple of the values of several.
    """

    def key_of(row: dict[str, Any], prefix: str = "") -> Any:
        values = tuple(row[prefix + g] for g in group)
        return values[0] if len(values) == 1 else values

    result: dict[Any, list[Decimal]] = {}
    lines = year_lines(station, year).filter(**filter_)
    for row in lines.values(*group).annotate(i=money_sum("initial"), a=money_sum("adjusted")):
        result.setdefault(key_of(row), [ZERO, ZERO, ZERO])[:2] = [cents(row["i"]), cents(row["a"])]
    spent = year_expenditures(station, year, as_of).filter(
        **{f"line__{k}": v for k, v in filter_.items()}
    )
    prefixed = [f"line__{g}" for g in group]
    for row in spent.values(*prefixed).annotate(e=money_sum("amount")):
        result.setdefault(key_of(row, "line__"), [ZERO, ZERO, ZERO])[2] = cents(row["e"])
    return {k: (v[0], v[1], v[2]) for k, v in result.items()}


@dataclass(frozen=True)
class ExecutionRow:
    """One row of an execution table (money in yuan)."""

    label: str
    initial: Decimal = ZERO
    adjusted: Decimal = ZERO
    executed: Decimal = ZERO
    code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        return percent(self.executed, self.adjusted)

    @property
    def balance(self) -> Decimal:
        """结余结转: adjusted − executed."""
        return self.adjusted - self.executed

    @property
    def over_executed(self) -> bool:
        return self.executed > self.adjusted


def total_row(
    rows: Iterable[ExecutionRow], label: str, code: str = "", extra: dict | None = None
) -> ExecutionRow:
    rows = list(rows)
    return ExecutionRow(
        label=label,
        initial=sum((r.initial for r in rows), ZERO),
        adjusted=sum((r.adjusted for r in rows), ZERO),
        executed=sum((r.executed for r in rows), ZERO),
        code=code,
        extra=extra or {},
    )


def rows_by_source(block: types.BudgetBlock) -> list[ExecutionRow]:
    return [ExecutionRow(name, *amounts_tuple(a)) for name, a in block.by_source.items()]


def rows_by_nature(block: types.BudgetBlock) -> list[ExecutionRow]:
    n = block.by_nature
    return [
        ExecutionRow(types.BASIC, *amounts_tuple(n[types.BASIC])),
        ExecutionRow(f"　其中：{types.PERSONNEL}", *amounts_tuple(n[types.PERSONNEL])),
        ExecutionRow(f"　　　　{types.PUBLIC}", *amounts_tuple(n[types.PUBLIC])),
        ExecutionRow(types.PROJECT, *amounts_tuple(n[types.PROJECT])),
    ]


def amounts_tuple(a: types.Amounts) -> tuple[Decimal, Decimal, Decimal]:
    return a.initial, a.adjusted, a.executed


def rows_by_function(
    station: Station, year: int, nature: str | None = None, as_of: date | None = None
) -> list[ExecutionRow]:
    """By function code (项), of every nature or of one."""
    filter_ = {"nature": nature} if nature else {}
    grouped = _grouped(
        station, year, "function_class__code", "function_class__name", as_of=as_of, **filter_
    )
    return [
        ExecutionRow(label=name, code=code, initial=i, adjusted=a, executed=e)
        for (code, name), (i, a, e) in sorted(grouped.items())
    ]


def rows_by_function_tree(station: Station, year: int) -> list[ExecutionRow]:
    """By function code with the subtotals of each 类 (3 digits) and 款 (5 digits) above its 项,
    as the final-accounts tables print them. ``extra["level"]`` is 1, 2 or 3."""
    items = rows_by_function(station, year)
    prefixes = {r.code[:3] for r in items} | {r.code[:5] for r in items}
    names = dict(FunctionClass.objects.filter(code__in=prefixes).values_list("code", "name"))
    tree: list[ExecutionRow] = []
    for class_code, in_class in groupby(items, key=lambda r: r.code[:3]):
        in_class = list(in_class)
        tree.append(total_row(in_class, names.get(class_code, ""), class_code, {"level": 1}))
        for section_code, in_section in groupby(in_class, key=lambda r: r.code[:5]):
            in_section = list(in_section)
            tree.append(
                total_row(in_section, names.get(section_code, ""), section_code, {"level": 2})
            )
            tree.extend(
                ExecutionRow(r.label, r.initial, r.adjusted, r.executed, r.code, {"level": 3})
                for r in in_section
            )
    return tree


def rows_by_project(station: Station, year: int, as_of: date | None = None) -> list[ExecutionRow]:
    """The year's projects: their lines' budget and execution, allocated and carried forward."""
    grouped = _grouped(station, year, "project", as_of=as_of)
    rows = []
    projects = (
        Project.objects.for_station(station).filter(year=year).select_related("function_class")
    )
    for project in projects.order_by("name"):
        i, a, e = grouped.get(project.pk, (ZERO, ZERO, ZERO))
        rows.append(
            ExecutionRow(
                label=project.name,
                code=project.function_class.code,
                initial=i,
                adjusted=a,
                executed=e,
                extra={
                    "project": project,
                    "allocated": project.allocated,
                    "carried_forward": project.allocated - e,
                },
            )
        )
    return rows


@dataclass(frozen=True)
class MonthRow:
    month: int
    executed: Decimal
    cumulative: Decimal
    cumulative_rate: Decimal | None  # cumulative executed / adjusted, percent
    year_share: Decimal  # share of the year gone at the month's end, percent
    future: bool

    @property
    def behind(self) -> bool:
        """Execution lags the calendar by more than 10 points."""
        return (
            not self.future
            and self.cumulative_rate is not None
            and self.cumulative_rate + 10 < self.year_share
        )


def year_share(year: int, on: date) -> Decimal:
    """The share of the year gone at the end of ``on``, in percent (2 places)."""
    days = 366 if calendar.isleap(year) else 365
    if on < date(year, 1, 1):
        return ZERO
    if on.year > year:
        return Decimal("100.00")
    return percent(on.timetuple().tm_yday, days) or ZERO


def _executed_by_month(
    station: Station, year: int, as_of: date | None = None
) -> dict[int, Decimal]:
    """{month: sum of the expenditures dated in it} in one query (up to ``as_of`` if given)."""
    return dict(
        year_expenditures(station, year, as_of)
        .annotate(m=ExtractMonth("date"))
        .order_by()
        .values("m")
        .annotate(e=money_sum("amount"))
        .values_list("m", "e")
    )


def monthly(station: Station, year: int, adjusted: Decimal, today: date) -> list[MonthRow]:
    """Executed by month, cumulative, against the share of the year gone at each month's end."""
    by_month = _executed_by_month(station, year)
    rows, cumulative = [], ZERO
    for month in range(1, 13):
        month_end = date(year, month, calendar.monthrange(year, month)[1])
        future = date(year, month, 1) > today
        executed = cents(by_month.get(month, ZERO))
        cumulative += executed
        rows.append(
            MonthRow(
                month=month,
                executed=executed,
                cumulative=cumulative,
                cumulative_rate=percent(cumulative, adjusted),
                year_share=year_share(year, min(month_end, today) if not future else month_end),
                future=future,
            )
        )
    return rows


def execution_to_date(*, station: Station, year: int, as_of: date) -> types.Execution:
    """``budget.types.Execution``: the cuts of the execution tables, executed up to ``as_of``."""
    block = budget_block(station=station, year=year, as_of=as_of)

    def cut(row: ExecutionRow, ref: int | None = None) -> types.Cut:
        return types.Cut(row.label.strip("　"), row.adjusted, row.executed, row.code, ref)

    lines = (
        year_lines(station, year)
        .select_related("source", "function_class", "project")
        .annotate(
            executed=money_sum(
                "expenditures__amount",
                expenditures__date__lte=as_of,
                expenditures__voided_at__isnull=True,
            )
        )
        .order_by(NATURE_ORDER, "function_class__code", "pk")
    )
    return types.Execution(
        year=year,
        as_of=as_of,
        total=block.total,
        by_source=[cut(r) for r in rows_by_source(block)],
        by_nature=[cut(r) for r in rows_by_nature(block)],
        by_function=[cut(r) for r in rows_by_function(station, year, as_of=as_of)],
        by_project=[cut(r, r.extra["project"].pk) for r in rows_by_project(station, year, as_of)],
        lines=[
            types.Cut(
                line_label(line),
                line.adjusted,
                cents(line.executed),
                line.function_class.code,
                line.pk,
            )
            for line in lines
        ],
    )


def line_label(line: BudgetLine) -> str:
    """A budget line as the execution tables name it: its project or description, its source."""
    what = line.project.name if line.project_id else line.description or nature_label(line.nature)
    return f"{what}（{line.source.name}）"


def monthly_executed(*, station: Station, year: int, as_of: date) -> list[types.Month]:
    """``budget.api.monthly_executed``: one query, by month of the expenditures' dates."""
    by_month = _executed_by_month(station, year, as_of)
    months, cumulative = [], ZERO
    last = as_of.month if as_of.year == year else (12 if as_of.year > year else 0)
    for month in range(1, last + 1):
        executed = cents(by_month.get(month, ZERO))
        cumulative += executed
        months.append(types.Month(month, executed, cumulative))
    return months


def nature_label(nature: str) -> str:
    return NATURE_OFFICIAL.get(nature, nature)


def station_years(station: Station, today: date) -> list[int]:
    """Years that have lines, and the current one, newest first."""
    years = set(BudgetLine.objects.for_station(station).values_list("year", flat=True).distinct())
    years.add(today.year)
    return sorted(years, reverse=True)


def with_execution(lines: QuerySet[BudgetLine]) -> QuerySet[BudgetLine]:
    """Annotate each line with ``executed`` (sum of its expenditures not voided) and ``balance``."""
    executed = money_sum("expenditures__amount", expenditures__voided_at__isnull=True)
    return lines.annotate(executed=executed).annotate(
        balance=ExpressionWrapper(F("adjusted") - F("executed"), output_field=MONEY)
    )


def line_executed(line: BudgetLine) -> Decimal:
    """The sum of the line's expenditures not voided."""
    spent = Expenditure.objects.live().filter(line=line)
    return cents(spent.aggregate(total=money_sum("amount"))["total"])


def line_remaining(line: BudgetLine) -> Decimal:
    """What the line may still pay: adjusted budget − executed (negative when over-executed)."""
    return line.adjusted - line_executed(line)


# ---- the lists, filtered by budget.filters


def _filter_years(station: Station) -> dict[str, Any]:
    """The years a list's year filter offers."""
    from rescue_station.selectors import local_today

    return {"years": station_years(station, local_today())}


def project_list(user: Any, station: Station, data: Any) -> ProjectFilter:
    """The projects of ``user`` at ``station`` filtered by ``data`` (a query string), each with
    ``executed``: ``.qs`` the rows, ``.form`` the list's filter form."""
    projects = (
        Project.objects.for_user_at(user, station)
        .select_related("function_class")
        .with_executed()
        .order_by("-year", "name")
    )
    return ProjectFilter(data, projects, form_kwargs=_filter_years(station))


def line_list(user: Any, station: Station, data: Any) -> LineFilter:
    """The budget lines of ``user`` at ``station`` filtered by ``data``, each with its execution
    (``with_execution``)."""
    lines = (
        BudgetLine.objects.for_user_at(user, station)
        .select_related("source", "function_class", "project")
        .order_by("-year", NATURE_ORDER, "function_class__code", "pk")
    )
    return LineFilter(data, with_execution(lines), form_kwargs=_filter_years(station))


def expenditure_list(user: Any, station: Station, data: Any) -> ExpenditureFilter:
    """The expenditures of ``user`` at ``station`` filtered by ``data``, voided ones included."""
    expenditures = (
        Expenditure.objects.for_user_at(user, station)
        .select_related("line__function_class", "line__project", "line__source", "voided_by")
        .order_by("-date", "-pk")
    )
    return ExpenditureFilter(data, expenditures, form_kwargs=_filter_years(station))
