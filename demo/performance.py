"""Demo frameworks: 2024 as printed in the seed report, 2025 with its weights corrected, 2026.

Only input is loaded here (targets, weights, sources, notes, the narrative): every actual comes
from the metric registry when the evaluation is computed, never from here. 2024 stays a draft
(the printed table does not add up); 2025 is finalised by the station head once every app has
loaded (``finish``): its frozen snapshot and stored PDF are the demo's finalised report.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from demo.seed_2024 import DECLARED_2024, INDICATORS_2024
from demo.stations import delete_files_on_commit, demo_user
from demo.text import (
    ACHIEVED_GOALS_2024,
    BUDGET_NOTES_2025,
    EXPECTED_GOALS_2024,
    NOTES_2025,
    SECTIONS_2024,
)
from performance.models import Evaluation, Framework, Indicator, ReportSection
from performance.selectors import compute_report, evaluation_for
from performance.services import (
    evaluation_ensure,
    evaluation_finalise,
    framework_create,
    framework_update,
    indicator_notes_set,
    indicator_save,
    report_sections_set,
)
from rescue_station.models import Station, User
from rescue_station.roles import Role

SATISFACTION = "生活无着流浪乞讨救助对象及未成年人满意度"
# 2025: the printed table's 满意度指标 line weighed 20 where 10 was declared; corrected here, and
# the target that did not repeat (7500 person-days, set on 2023) is set on 2024's actual instead.
CHANGES_2025: dict[str, dict[str, str]] = {
    SATISFACTION: {"weight": "10"},
    "流浪乞讨救助人次数": {"target": "5600"},
    "留守、困境儿童关爱保护人数": {"target": "1800"},
    "留守、困境儿童关爱保护活动场次": {"target": "24"},
}


def _indicator_values(spec: dict[str, str], year: int, with_notes: bool) -> dict[str, Any]:
    manual = spec["source"] == "manual"
    target = spec["target"]
    if spec["comparator"] == "period":
        target = str(year)
    values: dict[str, Any] = {
        "level1": spec["level1"],
        "level2": spec["level2"],
        "name": spec["name"],
        "comparator": spec["comparator"],
        "target": target,
        "unit": spec["unit"],
        "weight": Decimal(spec["weight"]),
        "metric_key": "" if manual else spec["source"],
    }
    if with_notes:
        values.update(
            deviation=spec.get("deviation", ""),
            measure=spec.get("measure", ""),
            evidence=spec.get("evidence", ""),
            tier=spec.get("tier", "achieved" if manual else ""),
            manual_actual=spec.get("actual_text", ""),
        )
    return values


def _framework(
    station: Station,
    year: int,
    user: User,
    declared: dict[str, str],
    changes: dict[str, dict[str, str]],
    past: bool,
) -> None:
    if Framework.objects.filter(station=station, year=year).exists():
        return
    framework = framework_create(
        station=station,
        year=year,
        acting_user=user,
        declared=declared,
        expected_goals=EXPECTED_GOALS_2024,
        achieved_goals=ACHIEVED_GOALS_2024 if year == 2024 else "",
    )
    for order, spec in enumerate(INDICATORS_2024, start=1):
        spec = {**spec, **changes.get(spec["name"], {})}
        values = _indicator_values(spec, year, with_notes=past)
        if year != 2024:
            values.update(deviation="", measure="")
        if spec["source"] == "manual" and not past:
            values.update(tier="", manual_actual="")
        indicator_save(framework=framework, acting_user=user, order=order, **values)
    evaluation = evaluation_ensure(framework=framework, acting_user=user)
    if year == 2024:
        report_sections_set(evaluation=evaluation, texts=SECTIONS_2024, acting_user=user)


def load(*, station: Station, users: dict[str, User], today: date) -> None:
    user = demo_user(users, Role.FINANCE_OFFICER)
    _framework(station, 2024, user, DECLARED_2024, {}, past=True)
    _framework(station, 2025, user, DECLARED_2024, CHANGES_2025, past=today.year > 2025)
    _framework(station, 2026, user, DECLARED_2024, CHANGES_2025, past=today.year > 2026)


def finish(*, station: Station, users: dict[str, User], today: date) -> None:
    """Once the year is over, the 2025 report gets its notes and the station head finalises it.

    Only a report that was never finalised: a report finalised once (reopened since, maybe, by a
    demo user) is left as it is, so that loading again neither finalises again nor adds history.
    """
    framework = Framework.objects.filter(station=station, year=2025).first()
    if today.year <= 2025 or framework is None:
        return
    evaluation = evaluation_for(framework)
    if evaluation.finalised_at is not None or evaluation.reopened_at is not None:
        return
    writer = demo_user(users, Role.FINANCE_OFFICER)
    for indicator in framework.indicators.filter(name__in=NOTES_2025, deviation="", measure=""):
        deviation, measure = NOTES_2025[indicator.name]
        indicator_notes_set(
            indicator=indicator, deviation=deviation, measure=measure, acting_user=writer
        )
    if not framework.budget_deviation and not framework.budget_measure:
        deviation, measure = BUDGET_NOTES_2025
        framework_update(
            framework=framework,
            acting_user=writer,
            budget_deviation=deviation,
            budget_measure=measure,
        )
    # A framework a demo user has changed since may now lose points elsewhere: it stays a draft
    # rather than failing the whole load.
    if compute_report(framework).has_errors:
        return
    evaluation_finalise(framework=framework, acting_user=demo_user(users, Role.SUPERVISOR))


def reset(*, station: Station) -> None:
    delete_files_on_commit(Evaluation.objects.filter(framework__station=station), "pdf")
    delete_files_on_commit(Indicator.objects.filter(framework__station=station), "evidence_file")
    ReportSection.objects.filter(evaluation__framework__station=station).delete()
    Evaluation.objects.filter(framework__station=station).delete()
    Indicator.objects.filter(framework__station=station).delete()
    Framework.objects.filter(station=station).delete()
