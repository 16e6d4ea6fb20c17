"""Mid-year monitoring (绩效运行监控): time share, projection, judgment, forecast. Pure functions.

The rules of ``shared/domain/monitoring.md``, kept here under these names (they are ours where the
national text leaves a choice, and the monitoring page says so):

- ``time_share``: days from 1 January to the as-of date, both included, over the days of the year,
  in percent with 2 places (31 July 2024: 213 / 366 → 58.20).
- ``project_amount``: a count or an amount to date, carried to the year's end with last year's
  season (last year's full value over last year's value to the same day) when last year's value to
  that day is above 0, else with the time gone (days of the year over days elapsed); rounded as the
  metric prints.
- A rate line keeps its rate to date; the budget execution rate is projected as the budget block:
  ``project_budget_rate`` = min(100, rate to date × 100 / time share).
- ``judge_line``: on track (确定能) when the forecast score is the weight, at risk (有可能) below it
  down to 60% of it, off track (完全不可能) below 60%. ``judge_budget``: on track when the execution
  rate to date reaches the time share, at risk when less than 15 points below, off track otherwise.
- Qualitative and period lines, and lines whose actual is entered by hand, are not projected
  (``manual``): their forecast score is the evaluator's score if entered, else the weight (not yet
  judged).

Every score is the self-evaluation's own rule (``scoring``) applied to the projected value, so at
31 December, where every projection is the actual, the forecast is the self-evaluation.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from . import scoring

HUNDRED = Decimal(100)
AT_RISK_SHARE = Decimal("0.6")  # a forecast score from 60% of the weight is "at risk"
BUDGET_AT_RISK_POINTS = Decimal(15)  # execution less than 15 points behind the time is "at risk"
BUDGET_RATE_KEY = "budget.execution_rate"


class Status(enum.StrEnum):
    """The judgment of a line, coded as the JSON of the monitoring form writes it."""

    ON_TRACK = "on_track"  # 确定能
    AT_RISK = "at_risk"  # 有可能
    OFF_TRACK = "off_track"  # 完全不可能
    MANUAL = "manual"  # judged by the evaluator, not projected

    @property
    def needs_notes(self) -> bool:
        """A line at risk or off track needs a cause and a measure before the form is sent."""
        return self in (Status.AT_RISK, Status.OFF_TRACK)


class Method(enum.StrEnum):
    """How a line's year-end value was projected (shown on the page beside the value)."""

    SEASON = "season"  # last year's season carries over
    ELAPSED = "elapsed"  # by the share of the year gone
    RATE = "rate"  # a rate keeps its value to date
    BUDGET = "budget"  # the execution rate, against the time gone
    NONE = "none"  # not projected (manual, or no value yet)


class Kind(enum.StrEnum):
    """What a line's metric measures, for its projection."""

    COUNT = "count"
    MONEY = "money"
    RATE = "rate"
    BUDGET_RATE = "budget_rate"
    MANUAL = "manual"  # no metric: qualitative, period, or an actual entered by hand


# ---------------------------------------------------------------------------------- the calendar


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def days_elapsed(as_of: date) -> int:
    """1 January to ``as_of``, both included."""
    return (as_of - date(as_of.year, 1, 1)).days + 1


def time_share(as_of: date) -> Decimal:
    """The share of the year gone at the end of ``as_of``, percent with 2 places, half up."""
    return scoring.round_half_up(Fraction(days_elapsed(as_of) * 100, days_in_year(as_of.year)), 2)


def same_day_last_year(as_of: date) -> date:
    """The same day of the year before (29 February → 28 February)."""
    day = min(as_of.day, calendar.monthrange(as_of.year - 1, as_of.month)[1])
    return date(as_of.year - 1, as_of.month, day)


# ---------------------------------------------------------------------------------- projection


def project_amount(
    actual: Decimal,
    *,
    as_of: date,
    places: int,
    last_to_date: Decimal | None = None,
    last_full: Decimal | None = None,
) -> tuple[Decimal, Method]:
    """A count or an amount to date carried to the year's end, rounded to ``places``.

    With last year's value to the same day above 0, last year's season carries over:
    ``actual × last_full / last_to_date``; otherwise the time gone: ``actual × days in the year /
    days elapsed``. Computed exactly, rounded once, half up.
    """
    if last_to_date is not None and last_full is not None and last_to_date > 0:
        exact = Fraction(actual) * Fraction(last_full) / Fraction(last_to_date)
        method = Method.SEASON
    else:
        exact = Fraction(actual) * days_in_year(as_of.year) / days_elapsed(as_of)
        method = Method.ELAPSED
    return scoring.round_half_up(exact, places), method


def project_budget_rate(rate_to_date: Decimal | None, share: Decimal) -> Decimal | None:
    """min(100, execution rate to date × 100 / time share), 2 places; None without a budget."""
    if rate_to_date is None or share <= 0:
        return None
    return min(HUNDRED, scoring.round_half_up(Fraction(rate_to_date) * 100 / Fraction(share), 2))


# ---------------------------------------------------------------------------------- judgment


def judge_line(score: Decimal | None, weight: Decimal) -> Status:
    """确定能 at full marks, 有可能 down to 60% of the weight, 完全不可能 below (or no score)."""
    if score is None:
        return Status.OFF_TRACK
    if score >= weight:
        return Status.ON_TRACK
    if score >= weight * AT_RISK_SHARE:
        return Status.AT_RISK
    return Status.OFF_TRACK


def judge_budget(rate_to_date: Decimal | None, share: Decimal) -> Status:
    """On track at the time share or above, at risk less than 15 points below, else off track."""
    if rate_to_date is None:
        return Status.OFF_TRACK  # no budget to execute: the budget line scores nothing
    if rate_to_date >= share:
        return Status.ON_TRACK
    if share - rate_to_date < BUDGET_AT_RISK_POINTS:
        return Status.AT_RISK
    return Status.OFF_TRACK


# ---------------------------------------------------------------------------------- forecast


@dataclass(frozen=True)
class LineInput:
    """One indicator as monitoring sees it: the self-evaluation's line with its actual to date,
    what its metric measures, and last year's values of that metric (to the same day, full)."""

    line: scoring.Line
    kind: Kind
    last_to_date: Decimal | None = None
    last_full: Decimal | None = None


@dataclass(frozen=True)
class LineForecast:
    line: scoring.Line
    kind: Kind
    actual: Decimal | None  # to date (formula lines)
    projected: Decimal | None
    method: Method
    score: Decimal | None  # the forecast score
    status: Status
    judged: bool = True  # False: a manual line not judged yet, forecast at its weight


@dataclass(frozen=True)
class BudgetForecast:
    adjusted: Decimal
    executed: Decimal
    weight: Decimal
    rate: Decimal | None  # executed to date / adjusted, percent
    projected_rate: Decimal | None
    score: Decimal
    status: Status


@dataclass(frozen=True)
class Forecast:
    as_of: date
    time_share: Decimal
    budget: BudgetForecast
    lines: list[LineForecast]
    total: Decimal
    grade: str

    def count(self, status: Status) -> int:
        return sum(1 for line in self.lines if line.status == status)


def _amount_places(kind: Kind) -> int:
    return 0 if kind == Kind.COUNT else 2


def forecast_line(item: LineInput, *, as_of: date, places: int) -> LineForecast:
    """Project one line, score the projection with the self-evaluation's rules, judge it."""
    line, kind = item.line, item.kind
    far = scoring.DEFAULT_FAR_EXCEEDED
    if kind == Kind.MANUAL or line.comparator.is_manual_kind:
        result = scoring.score_line(line, places, far)
        if result.score is None:  # not judged yet: forecast at its weight
            weight = scoring.round_half_up(line.weight, places)
            return LineForecast(
                line, Kind.MANUAL, line.actual, None, Method.NONE, weight, Status.MANUAL, False
            )
        return LineForecast(
            line, Kind.MANUAL, line.actual, line.actual, Method.NONE, result.score, Status.MANUAL
        )
    actual = line.actual
    if actual is None:  # nothing to measure yet (a rate over nobody)
        weight = scoring.round_half_up(line.weight, places)
        return LineForecast(line, kind, None, None, Method.NONE, weight, Status.MANUAL, False)
    if kind in (Kind.COUNT, Kind.MONEY):
        projected, method = project_amount(
            actual,
            as_of=as_of,
            places=_amount_places(kind),
            last_to_date=item.last_to_date,
            last_full=item.last_full,
        )
    elif kind == Kind.BUDGET_RATE:
        projected, method = project_budget_rate(actual, time_share(as_of)), Method.BUDGET
    else:
        projected, method = actual, Method.RATE
    score = scoring.score_line(replace(line, actual=projected), places, far).score
    return LineForecast(
        line, kind, actual, projected, method, score, judge_line(score, line.weight)
    )


def forecast_budget(
    *, adjusted: Decimal, executed: Decimal, weight: Decimal, as_of: date, places: int
) -> BudgetForecast:
    """The budget block: its rate to date, projected against the time gone, scored and judged."""
    share = time_share(as_of)
    rate = scoring.execution_rate(executed, adjusted)
    projected = project_budget_rate(rate, share)
    return BudgetForecast(
        adjusted=adjusted,
        executed=executed,
        weight=weight,
        rate=rate,
        projected_rate=projected,
        score=scoring.budget_score(weight, projected, places),
        status=judge_budget(rate, share),
    )


def forecast(
    *,
    as_of: date,
    lines: Sequence[LineInput],
    budget_adjusted: Decimal,
    budget_executed: Decimal,
    budget_weight: Decimal,
    places: int = 1,
) -> Forecast:
    """Every line and the budget block projected, scored and judged; the forecast total and grade
    (``scoring.total_score``: 100 less the points each line would lose)."""
    results = [forecast_line(item, as_of=as_of, places=places) for item in lines]
    budget = forecast_budget(
        adjusted=budget_adjusted,
        executed=budget_executed,
        weight=budget_weight,
        as_of=as_of,
        places=places,
    )
    total = scoring.total_score(
        [(budget.weight, budget.score), *((r.line.weight, r.score) for r in results)], places
    )
    return Forecast(
        as_of=as_of,
        time_share=time_share(as_of),
        budget=budget,
        lines=results,
        total=total,
        grade=scoring.grade(total),
    )


def cut_status(adjusted: Decimal, executed: Decimal, as_of: date) -> tuple[Decimal | None, Status]:
    """A source's or a project's execution rate to date and its judgment against the time gone."""
    rate = scoring.execution_rate(executed, adjusted)
    return rate, judge_budget(rate, time_share(as_of))
