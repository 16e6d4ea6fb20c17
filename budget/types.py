"""The plain values of the budget that other apps see: the funds block, the cuts of the execution.

Nothing of budget is imported here, so that the models, the selectors, the consistency checks and
``budget.api`` can all import these without importing each other.
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
# The line of the funds block that holds the total, as the form and the findings name it.
TOTAL_LINE = "年度资金总额"


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
    (executed) independently, so that ``budget.consistency`` can check that the cuts add up.
    """

    station_code: str
    year: int
    total: Amounts
    by_source: dict[str, Amounts] = field(default_factory=dict)
    by_nature: dict[str, Amounts] = field(default_factory=dict)


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


@dataclass(frozen=True)
class Month:
    """Paid in one month of the year, and cumulated since 1 January (yuan)."""

    month: int
    executed: Decimal
    cumulative: Decimal
