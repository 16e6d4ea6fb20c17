"""Demo frameworks: 2024 as printed in the seed report, 2025 with its weights corrected, 2026.

Only input is loaded here (targets, weights, sources, notes, the narrative): every actual comes
from the metric registry when the evaluation is computed, never from here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rescue_station.demo import demo_user
from rescue_station.models import Station, User
from rescue_station.roles import Role

from .demo_text import ACHIEVED_GOALS_2024, EXPECTED_GOALS_2024, SECTIONS_2024
from .models import Evaluation, Framework, Indicator, ReportSection
from .seed_2024 import DECLARED_2024, INDICATORS_2024
from .services import evaluation_ensure, framework_create, indicator_save, report_sections_set

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


def reset(*, station: Station) -> None:
    ReportSection.objects.filter(evaluation__framework__station=station).delete()
    Evaluation.objects.filter(framework__station=station).delete()
    Indicator.objects.filter(framework__station=station).delete()
    Framework.objects.filter(station=station).delete()
