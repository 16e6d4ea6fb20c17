"""The budget's metrics (money in yuan), computed by two queries for all eight (and for every
station asked at once, grouped by station).

For a period [start, end]: initial and adjusted are those of the fiscal year that contains the
end date (a budget is a year's); executed is the sum of the expenditures dated inside the period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from rescue_station.formatting import percent
from rescue_station.models import Station
from rescue_station.registry import Kind, Spec, register_station_group

from .models import BudgetLine, Expenditure, Nature
from .selectors import cents, money_sum

YUAN = "元"

SPECS = {
    "budget.initial": Spec(
        "年初预算数",
        YUAN,
        Kind.MONEY,
        "Sum of the initial budget (年初预算数) of the station's budget lines of the fiscal year "
        "that contains the period's end date.",
    ),
    "budget.adjusted": Spec(
        "全年预算数",
        YUAN,
        Kind.MONEY,
        "Sum of the adjusted budget (全年预算数: initial plus mid-year additions, adjustments and "
        "amounts carried over) of the station's budget lines of the fiscal year that contains the "
        "period's end date.",
    ),
    "budget.executed": Spec(
        "预算执行数",
        YUAN,
        Kind.MONEY,
        "Sum of the amounts of the station's expenditures dated inside the period.",
    ),
    "budget.execution_rate": Spec(
        "预算执行率",
        "%",
        Kind.RATE,
        "budget.executed ÷ budget.adjusted × 100, 2 places half up; empty when the adjusted "
        "budget is 0.",
    ),
    "budget.executed_basic": Spec(
        "基本支出执行数",
        YUAN,
        Kind.MONEY,
        "Expenditures dated inside the period charged to basic lines (人员经费 and 公用经费).",
    ),
    "budget.executed_personnel": Spec(
        "人员经费执行数",
        YUAN,
        Kind.MONEY,
        "Expenditures dated inside the period charged to basic lines of personnel (人员经费).",
    ),
    "budget.executed_public": Spec(
        "公用经费执行数",
        YUAN,
        Kind.MONEY,
        "Expenditures dated inside the period charged to basic lines of running costs (公用经费).",
    ),
    "budget.executed_project": Spec(
        "项目支出执行数",
        YUAN,
        Kind.MONEY,
        "Expenditures dated inside the period charged to project lines (项目支出).",
    ),
}


@register_station_group("budget.execution", SPECS)
def budget_figures(
    stations: Sequence[Station], start: date, end: date
) -> dict[int, dict[str, Decimal | None]]:
    planned = BudgetLine.objects.filter(year=end.year).aggregate_by_station(
        stations, sum_initial=money_sum("initial"), sum_adjusted=money_sum("adjusted")
    )
    spent = (
        Expenditure.objects.live()
        .filter(date__range=(start, end))
        .aggregate_by_station(
            stations,
            sum_executed=money_sum("amount"),
            basic=money_sum("amount", line__nature__in=[Nature.PERSONNEL, Nature.PUBLIC]),
            personnel=money_sum("amount", line__nature=Nature.PERSONNEL),
            public=money_sum("amount", line__nature=Nature.PUBLIC),
            project=money_sum("amount", line__nature=Nature.PROJECT),
        )
    )
    return {s.pk: _figures(planned[s.pk], spent[s.pk]) for s in stations}


def _figures(planned: dict, spent: dict) -> dict[str, Decimal | None]:
    """A station's figures from its grouped rows (empty rows: nothing planned or spent)."""
    plan = {k: cents(planned.get(k)) for k in ("sum_initial", "sum_adjusted")}
    paid = {
        k: cents(spent.get(k)) for k in ("sum_executed", "basic", "personnel", "public", "project")
    }
    return {
        "budget.initial": plan["sum_initial"],
        "budget.adjusted": plan["sum_adjusted"],
        "budget.executed": paid["sum_executed"],
        "budget.execution_rate": percent(paid["sum_executed"], plan["sum_adjusted"]),
        "budget.executed_basic": paid["basic"],
        "budget.executed_personnel": paid["personnel"],
        "budget.executed_public": paid["public"],
        "budget.executed_project": paid["project"],
    }
