"""The narrow interface other apps may import from budget (performance does, for the funds block).

Nothing else of budget is imported by other apps: they see plain data classes, never models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# Income sources (按收入性质), in the order of the self-evaluation form.
SOURCES = (
    "一般公共预算",
    "政府性基金",
    "国有资本经营预算",
    "社会保险基金预算",
    "纳入专户管理的非税收入",
    "其他资金",
)
# Expenditure natures (按支出性质): basic = personnel + public; total = basic + project.
BASIC, PERSONNEL, PUBLIC, PROJECT = "基本支出", "人员经费", "公用经费", "项目支出"


@dataclass(frozen=True)
class Amounts:
    """Money of one cut of the budget, in yuan (Decimal, 2 places)."""

    initial: Decimal = Decimal("0.00")
    adjusted: Decimal = Decimal("0.00")
    executed: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class BudgetBlock:
    """The funds block of a station's year, as the self-evaluation form prints it.

    ``by_source`` has a key for each of SOURCES; ``by_nature`` has BASIC, PERSONNEL, PUBLIC and
    PROJECT. Each is summed from the budget lines (initial, adjusted) and their expenditures
    (executed) independently, so that the performance app can check that the cuts add up.
    """

    station_code: str
    year: int
    total: Amounts
    by_source: dict[str, Amounts] = field(default_factory=dict)
    by_nature: dict[str, Amounts] = field(default_factory=dict)


def budget_block(*, station: object, year: int, as_of: date | None = None) -> BudgetBlock:
    """The funds block of the station's fiscal year (implemented with the budget models);
    executed up to ``as_of`` (inclusive) when given."""
    from .selectors import budget_block as _budget_block

    return _budget_block(station=station, year=year, as_of=as_of)


@dataclass(frozen=True)
class Cut:
    """One row of a cut of the execution (money in yuan): a source, a nature, a function code,
    a project or a budget line. ``ref`` is the project's or the line's id (for a link)."""

    label: str
    adjusted: Decimal
    executed: Decimal
    code: str = ""
    ref: int | None = None


@dataclass(frozen=True)
class Execution:
    """The year's budget and what was paid up to ``as_of``, cut every way the finance office
    watches it during the year (mid-year monitoring)."""

    year: int
    as_of: date
    total: Amounts
    by_source: list[Cut]
    by_nature: list[Cut]
    by_function: list[Cut]
    by_project: list[Cut]
    lines: list[Cut]


def execution_to_date(*, station: object, year: int, as_of: date) -> Execution:
    """The year's execution up to ``as_of``, by source, nature, function code, project, line."""
    from .selectors import execution_to_date as _execution_to_date

    return _execution_to_date(station=station, year=year, as_of=as_of)


@dataclass(frozen=True)
class Month:
    """Paid in one month of the year, and cumulated since 1 January (yuan)."""

    month: int
    executed: Decimal
    cumulative: Decimal


def monthly_executed(*, station: object, year: int, as_of: date) -> list[Month]:
    """What was paid month by month up to ``as_of`` (the months after it are left out)."""
    from .selectors import monthly_executed as _monthly_executed

    return _monthly_executed(station=station, year=year, as_of=as_of)


# The budget findings of domain/scoring.md (pure functions over a BudgetBlock), for the
# performance app. Imported at the end: budget.consistency imports the data classes above.
from .consistency import (  # noqa: E402
    Finding,
    budget_findings,
    over_executed_findings,
    sum_findings,
)

__all__ = [
    "BASIC",
    "PERSONNEL",
    "PROJECT",
    "PUBLIC",
    "SOURCES",
    "Amounts",
    "BudgetBlock",
    "Cut",
    "Execution",
    "Finding",
    "Month",
    "budget_block",
    "budget_findings",
    "execution_to_date",
    "monthly_executed",
    "over_executed_findings",
    "sum_findings",
]
