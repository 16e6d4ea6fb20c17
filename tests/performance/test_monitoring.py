"""Mid-year monitoring's rules (performance/monitoring.py) and the forecast on hand-made monthly
data, with and without last year's records (shared/domain/monitoring.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from performance import monitoring, scoring
from performance.monitoring import Kind, LineInput, Method, Status
from performance.monitoring_report import compute_forecasts, compute_monitoring
from tests.performance.monitoring_factories import (
    SEASON_2023,
    SEASON_2024,
    budget_line,
    framework_2024,
    stays_by_month,
)

D = Decimal


# ------------------------------------------------------------------ the calendar


@pytest.mark.parametrize(
    ("day", "share"),
    [
        (date(2024, 7, 31), "58.20"),  # 213 / 366, monitoring.md's example
        (date(2025, 7, 31), "58.08"),  # 212 / 365
        (date(2024, 1, 1), "0.27"),
        (date(2024, 12, 31), "100.00"),
        (date(2023, 6, 30), "49.59"),  # 181 / 365 = 49.589… → 49.59
    ],
)
def test_it_takes_the_share_of_the_year_gone_with_both_ends_counted(day, share):
    assert monitoring.time_share(day) == D(share)


def test_it_takes_the_same_day_of_last_year_and_28_february_for_29():
    assert monitoring.same_day_last_year(date(2024, 7, 31)) == date(2023, 7, 31)
    assert monitoring.same_day_last_year(date(2024, 2, 29)) == date(2023, 2, 28)


# ------------------------------------------------------------------ projection


def test_it_projects_with_last_years_season_when_last_year_has_a_figure_to_that_day():
    # Last year: 60 to 30 June, 240 in the year: the second half weighs three times the first.
    value, method = monitoring.project_amount(
        D(70), as_of=date(2024, 6, 30), places=0, last_to_date=D(60), last_full=D(240)
    )
    assert (value, method) == (D(280), Method.SEASON)


@pytest.mark.parametrize("last_to_date", [None, D(0)])
def test_it_projects_by_the_time_gone_without_last_year(last_to_date):
    value, method = monitoring.project_amount(
        D(3271), as_of=date(2024, 7, 31), places=0, last_to_date=last_to_date, last_full=D(10)
    )
    # 3271 × 366 / 213 = 5620.5352… → 5621
    assert (value, method) == (D(5621), Method.ELAPSED)


def test_it_rounds_a_projection_once_half_up():
    # 1 × 366 / 244 = 1.5 exactly → 2 (a rounded quotient could have lost the half)
    value, _ = monitoring.project_amount(D(1), as_of=date(2024, 8, 31), places=0)
    assert value == D(2)
    money, _ = monitoring.project_amount(D("100.00"), as_of=date(2024, 7, 31), places=2)
    assert money == D("171.83")  # 100 × 366 / 213 = 171.830…


def test_it_projects_the_execution_rate_against_the_time_and_never_above_100():
    assert monitoring.project_budget_rate(D("51.29"), D("58.20")) == D("88.13")
    assert monitoring.project_budget_rate(D("70.00"), D("58.20")) == D(100)
    assert monitoring.project_budget_rate(None, D("58.20")) is None


# ------------------------------------------------------------------ judgment


@pytest.mark.parametrize(
    ("score", "status"),
    [
        ("3.0", Status.ON_TRACK),
        ("2.9", Status.AT_RISK),
        ("1.8", Status.AT_RISK),  # exactly 60% of 3: still possible
        ("1.7", Status.OFF_TRACK),
        (None, Status.OFF_TRACK),
    ],
)
def test_it_judges_a_line_by_its_forecast_score_against_its_weight(score, status):
    assert monitoring.judge_line(None if score is None else D(score), D(3)) == status


@pytest.mark.parametrize(
    ("rate", "status"),
    [
        ("58.20", Status.ON_TRACK),
        ("70.00", Status.ON_TRACK),
        ("43.21", Status.AT_RISK),  # 14.99 points behind
        ("43.20", Status.OFF_TRACK),  # 15 points behind
        (None, Status.OFF_TRACK),
    ],
)
def test_it_judges_the_budget_against_the_time_gone(rate, status):
    assert monitoring.judge_budget(None if rate is None else D(rate), D("58.20")) == status


def _line(comparator=">=", target="100", weight="3", actual=None, **kw) -> scoring.Line:
    return scoring.Line(
        name="x",
        level1="产出指标",
        comparator=scoring.Comparator(comparator),
        weight=D(weight),
        target=None if target is None else D(target),
        actual=actual,
        **kw,
    )


def test_a_rate_keeps_its_value_to_date_and_is_scored_on_it():
    line = monitoring.forecast_line(
        LineInput(_line("=", "100", "2", D("87.50")), Kind.RATE),
        as_of=date(2024, 7, 31),
        places=1,
    )
    assert (line.projected, line.method, line.score, line.status) == (
        D("87.50"),
        Method.RATE,
        D("1.8"),
        Status.AT_RISK,
    )


def test_a_qualitative_line_not_judged_yet_is_forecast_at_its_weight():
    line = monitoring.forecast_line(
        LineInput(_line("qualitative", None, "10"), Kind.MANUAL), as_of=date(2024, 7, 31), places=1
    )
    assert (line.status, line.score, line.judged) == (Status.MANUAL, D("10.0"), False)
    judged = monitoring.forecast_line(
        LineInput(
            _line(
                "qualitative",
                None,
                "10",
                actual_text="部分提升",
                tier=scoring.Tier.PARTLY,
                tier_score=D(7),
            ),
            Kind.MANUAL,
        ),
        as_of=date(2024, 7, 31),
        places=1,
    )
    assert (judged.status, judged.score, judged.judged) == (Status.MANUAL, D("7.0"), True)


def test_on_the_last_day_every_projection_is_the_actual():
    as_of = date(2024, 12, 31)
    for kind, last in ((Kind.COUNT, (D(100), D(100))), (Kind.COUNT, (None, None))):
        line = monitoring.forecast_line(
            LineInput(_line(actual=D(57)), kind, last_to_date=last[0], last_full=last[1]),
            as_of=as_of,
            places=1,
        )
        assert line.projected == D(57)
    assert monitoring.project_budget_rate(D("99.96"), monitoring.time_share(as_of)) == D("99.96")


def test_the_forecast_total_is_100_less_the_points_the_lines_would_lose():
    result = monitoring.forecast(
        as_of=date(2024, 7, 31),
        lines=[
            LineInput(_line(">=", "7500", "3", D(3271)), Kind.COUNT),  # → 5621 → 2.2
            LineInput(_line("=", "100", "2", D(100)), Kind.RATE),  # → 2.0
        ],
        budget_adjusted=D("10831700.00"),
        budget_executed=D("5555245.08"),  # 51.29% → 88.13% → 8.8
        budget_weight=D(10),
    )
    assert [line.score for line in result.lines] == [D("2.2"), D("2.0")]
    assert result.budget.score == D("8.8")
    assert result.total == D("100") - D("0.8") - D("1.2")
    assert result.count(Status.AT_RISK) == 1


# ------------------------------------------------------------------ hand-made monthly data


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr("rescue_station.selectors.local_today", lambda: date(2025, 3, 1))


def test_with_last_year_the_season_carries_over(station, users, frozen):
    stays_by_month(station, 2023, SEASON_2023)
    stays_by_month(station, 2024, SEASON_2024)
    framework = framework_2024(station, users)
    report = compute_monitoring(framework, date(2024, 6, 30))
    intakes = next(r for r in report.rows if r.source == "cases.intakes")
    # 30 to date × 96 / 24 = 120: the target, reached with last year's busy second half.
    assert (intakes.actual, intakes.projected, intakes.method) == ("30", "120", "season")
    assert (intakes.forecast_score, intakes.status) == ("40.0", "on_track")
    # By the time gone it would have been 30 × 366 / 182 = 60, half the target: off track.
    assert report.time_share == "49.73"


def test_without_last_year_the_time_gone_carries_over(station, users, frozen):
    stays_by_month(station, 2024, SEASON_2024)
    framework = framework_2024(station, users)
    report = compute_monitoring(framework, date(2024, 6, 30))
    intakes = next(r for r in report.rows if r.source == "cases.intakes")
    assert (intakes.actual, intakes.projected, intakes.method) == ("30", "60", "elapsed")
    # 40 × 60 / 120 = 20.0: half the weight, below 60% → off track
    assert (intakes.forecast_score, intakes.status) == ("20.0", "off_track")
    person_days = next(r for r in report.rows if r.source == "cases.person_days")
    assert (person_days.projected, person_days.forecast_score) == ("60", "16.0")


def test_the_budget_is_projected_against_the_time_and_judged_by_source(station, users, frozen):
    framework = framework_2024(station, users)
    budget_line(
        station, 2024, "1000000.00", [(date(2024, 3, 1), "300000.00"), (date(2024, 8, 1), "1")]
    )
    report = compute_monitoring(framework, date(2024, 6, 30))
    budget = report.budget
    # 30.00% executed at 49.73% of the year: 19.73 points behind → off track; 30 / 49.73 → 60.33%
    # scored 10 × 60.33 / 100 = 6.033 → 6.0
    assert (budget.adjusted, budget.executed, budget.rate) == ("100.00", "30.00", "30.00")
    assert (budget.projected_rate, budget.status, budget.forecast_score) == (
        "60.33",
        "off_track",
        "6.0",
    )
    assert [(s.name, s.rate, s.status) for s in budget.sources] == [
        ("一般公共预算", "30.00", "off_track")
    ]
    cost = next(r for r in report.rows if r.source == "budget.execution_rate")
    assert (cost.actual, cost.projected, cost.method) == ("30", "60.33", "budget")
    assert report.missing_notes == ["年度资金总额", "救助人次数", "救助人天次", "预算执行率"]


def test_many_stations_are_forecast_with_each_own_last_year(
    station, other_station, users, make_user, frozen
):
    stays_by_month(station, 2023, SEASON_2023)
    stays_by_month(station, 2024, SEASON_2024)
    stays_by_month(other_station, 2024, SEASON_2024)
    first = framework_2024(station, users)
    second = framework_2024(other_station, users)
    forecasts = compute_forecasts([first, second], date(2024, 6, 30))
    methods = {f.framework.station.code: f.forecast.lines[0].method for f in forecasts.values()}
    assert methods == {"zhuzhou": Method.SEASON, "xiangtan": Method.ELAPSED}
