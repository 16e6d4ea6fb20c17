"""The 绩效目标表 of a framework as plain data: the declared targets, as sent to the bureau.

Built once (``build_declaration``) and read by the page, the PDF and the XLSX. The department's
form: its year's budget (年初预算数, by source and by nature), its long-term and annual goals in
words, then each line's level 1, level 2, name, kind, target and unit, as approved; the targets
adjusted since are listed after the table with their reasons. (A project's form needs a
framework of the project, which does not exist yet.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from django.utils import timezone

from . import selectors
from .models import Framework, IndicatorAdjustment
from .report import SIGNS, funds_rows, grouped_rows, ordered, printed_target, wan

KIND_LABELS = {**SIGNS, "qualitative": "定性", "period": "时效"}
STATUS_LABELS = {
    Framework.Status.DRAFT: "草稿",
    Framework.Status.DECLARED: "已申报",
    Framework.Status.APPROVED: "已批复",
}


@dataclass
class TargetRow:
    level1: str
    level2: str
    name: str
    comparator: str
    target: str  # as declared (approved), without its sign
    unit: str
    current_target: str  # after the adjustments, if any
    indicator_id: int | None = None

    @property
    def kind_label(self) -> str:
        """指标性质: ≥ > = < ≤, 定性, 时效."""
        return KIND_LABELS.get(self.comparator, self.comparator)

    @property
    def printed(self) -> str:
        return printed_target(self.comparator, self.target, self.unit)

    @property
    def adjusted(self) -> bool:
        return self.current_target != self.target


@dataclass
class AdjustmentRow:
    name: str
    previous: str
    target: str
    reason: str
    adjusted_on: str  # YYYY-MM-DD
    by: str


@dataclass
class Declaration:
    station: str
    station_name: str
    year: int
    status: str
    amount: str  # 年度资金总额, 万元
    rows: list[TargetRow]
    by_source: list[tuple[str, str]] = field(default_factory=list)
    by_nature: list[tuple[str, str]] = field(default_factory=list)
    long_term_goals: str = ""
    annual_goals: str = ""
    declared_on: str = ""
    approved_on: str = ""
    approval_document: str = ""
    adjustments: list[AdjustmentRow] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_approved(self) -> bool:
        return self.status == Framework.Status.APPROVED

    def groups(self) -> list[dict[str, Any]]:
        return grouped_rows(self.rows, {})

    @property
    def funds_rows(self) -> list[tuple[tuple[str, str] | None, tuple[str, str] | None]]:
        return list(zip_longest(self.by_source, self.by_nature))


def build_declaration(framework: Framework) -> Declaration:
    """The framework's 绩效目标表, from its records."""
    block = selectors.load_budget_block(station=framework.station, year=framework.year)
    by_source, by_nature = funds_rows(block, "initial")
    indicators = ordered(list(framework.indicators.all()))
    adjustments = (
        IndicatorAdjustment.objects.filter(indicator__framework=framework)
        .select_related("indicator", "adjusted_by")
        .order_by("adjusted_on", "pk")
    )
    return Declaration(
        station=framework.station.code,
        station_name=framework.station.name,
        year=framework.year,
        status=framework.status,
        amount=wan(block.total.initial),
        rows=[
            TargetRow(
                level1=i.level1,
                level2=i.level2,
                name=i.name,
                comparator=i.comparator,
                target=i.target_as_declared,
                unit=i.unit,
                current_target=i.target,
                indicator_id=i.pk,
            )
            for i in indicators
        ],
        by_source=by_source,
        by_nature=by_nature,
        long_term_goals=framework.long_term_goals,
        annual_goals=framework.expected_goals,
        declared_on=(
            timezone.localdate(framework.declared_at).isoformat() if framework.declared_at else ""
        ),
        approved_on=framework.approved_on.isoformat() if framework.approved_on else "",
        approval_document=framework.approval_document,
        adjustments=[
            AdjustmentRow(
                name=a.indicator.name,
                previous=printed_target(
                    a.indicator.comparator, a.previous_target, a.indicator.unit
                ),
                target=printed_target(a.indicator.comparator, a.target, a.indicator.unit),
                reason=a.reason,
                adjusted_on=a.adjusted_on.isoformat(),
                by=str(a.adjusted_by),
            )
            for a in adjustments
        ],
    )
