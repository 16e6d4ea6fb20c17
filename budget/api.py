"""The narrow interface other apps may import from budget (performance does, for the funds block
and its findings; dashboards for the execution).

Nothing else of budget is imported by other apps: they see plain data classes, never models.
"""

from __future__ import annotations

from .consistency import FINDING_TITLES, budget_findings, over_executed_findings, sum_findings
from .selectors import budget_block, execution_to_date, monthly_executed
from .types import (
    BASIC,
    PERSONNEL,
    PROJECT,
    PUBLIC,
    SOURCES,
    TOTAL_LINE,
    Amounts,
    BudgetBlock,
    Cut,
    Execution,
    Month,
)

__all__ = [
    "BASIC",
    "FINDING_TITLES",
    "PERSONNEL",
    "PROJECT",
    "PUBLIC",
    "SOURCES",
    "TOTAL_LINE",
    "Amounts",
    "BudgetBlock",
    "Cut",
    "Execution",
    "Month",
    "budget_block",
    "budget_findings",
    "execution_to_date",
    "monthly_executed",
    "over_executed_findings",
    "sum_findings",
]
