"""Reads of the performance app: the evaluation of a framework, computed once into plain data.

``evaluation_report`` is the one source of the HTML form, the PDF, the XLSX and the JSON of the
command. A finalised evaluation answers from its frozen snapshot, so that records changed later
do not change it. Numbers come from the metric registry and ``budget.api`` only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from budget import api as budget_api
from rescue_station import registry

from . import scoring
from .models import Evaluation, Framework, Indicator, ReportSection
from .report import Report, build_report


def load_budget_block(*, station, year: int) -> budget_api.BudgetBlock:
    """The funds block from the budget app.

    The one place that calls budget: tests replace this function with a fixed block.
    """
    return budget_api.budget_block(station=station, year=year)


def year_period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def metric_actuals(
    station, year: int, keys: list[str]
) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    """The values of the registered keys over the year, and a problem for each unregistered key."""
    known, problems = [], {}
    for key in dict.fromkeys(keys):
        try:
            registry.get(key)
            known.append(key)
        except registry.UnknownMetric:
            problems[key] = _("The metric %(key)s is not registered.") % {"key": key}
    start, end = year_period(year)
    values = registry.compute_many(known, station, start, end) if known else {}
    return {key: printed(key, value) for key, value in values.items()}, problems


def printed(key: str, value: Decimal | None) -> Decimal | None:
    """A metric's value as it is scored: as printed, counts whole, rates and money with 2 places
    (as the metrics command prints them)."""
    text = registry.format_value(registry.get(key), value)
    return None if text is None else Decimal(text)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text.strip() else None
    except InvalidOperation:
        return None


def scoring_line(indicator: Indicator, value: Decimal | None) -> scoring.Line:
    kind = indicator.kind
    manual = indicator.is_manual
    actual = None
    if not kind.is_manual_kind:
        actual = _decimal(indicator.manual_actual) if manual else value
    return scoring.Line(
        name=indicator.name,
        level1=indicator.level1,
        level2=indicator.level2,
        comparator=kind,
        weight=indicator.weight,
        target=None if kind.is_manual_kind else _decimal(indicator.target),
        actual=actual,
        actual_text=indicator.manual_actual if kind.is_manual_kind else "",
        tier=scoring.Tier(indicator.tier) if indicator.tier else None,
        tier_score=indicator.tier_score,
        manual=manual,
        has_evidence=bool(indicator.evidence.strip() or indicator.evidence_file),
        deviation=indicator.deviation,
        measure=indicator.measure,
    )


def evaluation_for(framework: Framework) -> Evaluation:
    evaluation = Evaluation.objects.filter(framework=framework).first()
    return evaluation or Evaluation(framework=framework)


def compute_report(framework: Framework) -> Report:
    """Compute the evaluation from the records (never from a snapshot)."""
    station = framework.station
    indicators = list(framework.indicators.all())
    keys = [i.metric_key for i in indicators if i.metric_key]
    values, problems = metric_actuals(station, framework.year, keys)
    lines = []
    for indicator in indicators:
        line = scoring_line(indicator, values.get(indicator.metric_key))
        if indicator.metric_key in problems:
            line = replace(line, missing_reason=problems[indicator.metric_key])
        lines.append(line)
    block = load_budget_block(station=station, year=framework.year)
    result = scoring.evaluate(
        lines=lines,
        block=block,
        budget_weight=framework.budget_weight,
        declared=framework.declared(),
        places=framework.places,
        far_threshold=framework.far_exceeded_threshold,
        budget_deviation=framework.budget_deviation,
        budget_measure=framework.budget_measure,
    )
    evaluation = evaluation_for(framework)
    sections = []
    if evaluation.pk:
        stored = {s.key: s.body for s in evaluation.sections.all()}
        sections = [(label, stored.get(key, "")) for key, label in ReportSection.Key.choices]
    return build_report(
        framework=framework,
        indicators=indicators,
        result=result,
        block=block,
        status=evaluation.status,
        sections=sections,
    )


def evaluation_report(framework: Framework) -> Report:
    """The report of the framework: frozen when finalised, computed otherwise."""
    evaluation = evaluation_for(framework)
    if evaluation.is_final and evaluation.snapshot:
        report = Report.from_snapshot(evaluation.snapshot)
        report.snapshot_sha256 = evaluation.snapshot_sha256
        if not report.finalised_on and evaluation.finalised_at:  # finalised before the seal
            report.finalised_on = timezone.localdate(evaluation.finalised_at).isoformat()
        return report
    return compute_report(framework)


def weight_fixes(framework: Framework) -> dict[int, scoring.WeightFix]:
    """The lines whose weight alone makes their level-1 group disagree with its declared weight,
    by indicator id, with the weight that fixes it (the framework page's one-step change)."""
    groups: dict[str, list[Indicator]] = {}
    for indicator in framework.indicators.all():
        groups.setdefault(indicator.level1, []).append(indicator)
    declared = framework.declared()
    fixes = {}
    for name, members in groups.items():
        if name not in declared:
            continue
        fix = scoring.weight_fix(declared[name], [(i.name, i.weight) for i in members])
        if fix is not None:
            fixes[members[0].pk] = fix
    return fixes


@dataclass(frozen=True)
class CopyLine:
    """A line of last year's framework, with the actuals of the years on record beside it."""

    indicator: Indicator
    actuals: list[tuple[int, str]]  # (year, value as printed; "" when none)
    suggested: str


def years_on_record(station, up_to: int, limit: int = 3) -> list[int]:
    """The station's most recent years with a framework, oldest first."""
    years = Framework.objects.filter(station=station, year__lte=up_to).order_by("-year")
    return sorted(years.values_list("year", flat=True)[:limit])


def copy_preview(source: Framework) -> tuple[list[int], list[CopyLine]]:
    """Each line of ``source`` with the actuals of the years on record and a suggested target."""
    from .planning import suggest_target
    from .report import plain

    years = years_on_record(source.station, source.year)
    indicators = list(source.indicators.all())
    keys = [i.metric_key for i in indicators if i.metric_key]
    by_year = {year: metric_actuals(source.station, year, keys)[0] for year in years}
    lines = []
    for indicator in indicators:
        values = (
            [by_year[y].get(indicator.metric_key) for y in years] if indicator.metric_key else []
        )
        lines.append(
            CopyLine(
                indicator=indicator,
                actuals=[
                    (y, plain(v) if v is not None else "")
                    for y, v in zip(years, values or [None] * len(years), strict=True)
                ],
                suggested=(
                    str(source.year + 1)  # a period line moves with the year
                    if indicator.comparator == "period" and indicator.target == str(source.year)
                    else suggest_target(indicator.kind, indicator.target, values)
                ),
            )
        )
    return years, lines


def narrative_drafts(framework: Framework) -> dict[str, str]:
    """Sentences with the year's figures for the narrative sections (nothing is saved)."""
    from .drafting import DRAFT_METRICS, draft_sections

    values, _problems = metric_actuals(framework.station, framework.year, DRAFT_METRICS)
    block = load_budget_block(station=framework.station, year=framework.year)
    return draft_sections(
        year=framework.year, values=values, block=block, report=compute_report(framework)
    )
