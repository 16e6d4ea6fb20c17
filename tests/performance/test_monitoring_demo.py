"""The demo's 2024 watched during the year: at 31 December the forecast is the self-evaluation
(total 99.2), and on 31 July the person-days line (target 7500) is not on track."""

from __future__ import annotations

from datetime import date

import pytest

from demo import stations as demo
from performance.models import Framework
from performance.monitoring_report import compute_monitoring
from performance.selectors import compute_report

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo_station(module_db):
    """The whole demo, loaded once for the module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("rescue_station.selectors.local_today", lambda: TODAY)
        yield demo.load(today=TODAY).station


@pytest.fixture
def demo_2024(db, demo_station, monkeypatch):
    monkeypatch.setattr("rescue_station.selectors.local_today", lambda: TODAY)
    return Framework.objects.select_related("station").get(station=demo_station, year=2024)


def test_at_the_years_last_day_the_forecast_is_the_self_evaluation(demo_2024):
    forecast = compute_monitoring(demo_2024, date(2024, 12, 31))
    evaluation = compute_report(demo_2024)
    assert (forecast.forecast_total, forecast.forecast_grade) == ("99.2", "优")
    assert (forecast.forecast_total, forecast.forecast_grade) == (
        evaluation.total,
        evaluation.grade,
    )
    assert [(r.name, r.actual, r.projected, r.forecast_score) for r in forecast.rows] == [
        (r.name, r.actual, r.actual, r.score) for r in evaluation.rows
    ]
    assert (forecast.budget.rate, forecast.budget.forecast_score) == (
        evaluation.budget.rate,
        evaluation.budget.score,
    )
    assert (forecast.budget.adjusted, forecast.budget.executed) == ("1083.17", "1082.78")
    assert forecast.time_share == "100.00"


def test_on_31_july_the_person_days_line_is_at_risk_or_off_track(demo_2024):
    report = compute_monitoring(demo_2024, date(2024, 7, 31))
    line = next(r for r in report.rows if r.target == "7500")
    assert line.source == "cases.person_days"
    assert line.status in ("at_risk", "off_track")
    assert int(line.projected) < 7500
    assert report.time_share == "58.20"
    assert "流浪乞讨救助人次数" in report.missing_notes
