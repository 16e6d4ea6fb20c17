"""The monitoring form (绩效运行监控表) as plain data, computed once from the records.

``compute_forecasts`` reads the metric registry for many frameworks at once (one query a metric
group and a period, whatever the number of stations) and applies ``monitoring``'s rules; the
dashboards read it. ``monitoring_report`` adds the budget's cuts and the notes for one station:
the page, the PDF, the XLSX and the JSON of the ``monitoring`` command all read that one
``MonitoringReport``, every number already formatted. A form marked as sent answers, for its date,
from the frozen copy it was sent as.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from budget import api as budget_api
from rescue_station import registry
from rescue_station.models import Station

from . import monitoring, scoring
from .models import Framework, Indicator, Monitoring, MonitoringNote
from .report import grouped_rows, ordered, places_text, plain, printed_target, wan
from .selectors import printed, scoring_line

# The form's words for a judgment, printed whatever the page's language (as the finance bureau's
# form has them); the page shows the translated labels of STATUS_LABELS.
PRINTED_STATUS = {
    "on_track": "确定能",
    "at_risk": "有可能",
    "off_track": "完全不可能",
    "manual": "评价人判断",
}
STATUS_LABELS = {
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "off_track": _("Off track"),
    "manual": _("Judged by the evaluator"),
}
KINDS = {
    registry.Kind.COUNT: monitoring.Kind.COUNT,
    registry.Kind.MONEY: monitoring.Kind.MONEY,
    registry.Kind.RATE: monitoring.Kind.RATE,
}
BUDGET_KEYS = ("budget.adjusted", "budget.executed")


# ------------------------------------------------------------------ forecasts of many stations


@dataclass(frozen=True)
class StationForecast:
    """A framework's forecast as of a date, with its indicators in the form's order."""

    framework: Framework
    indicators: list[Indicator]
    forecast: monitoring.Forecast


def _kind(indicator: Indicator) -> monitoring.Kind:
    if indicator.kind.is_manual_kind or not indicator.metric_key:
        return monitoring.Kind.MANUAL
    if indicator.metric_key == monitoring.BUDGET_RATE_KEY:
        return monitoring.Kind.BUDGET_RATE
    try:
        return KINDS[registry.get(indicator.metric_key).kind]
    except registry.UnknownMetric:
        return monitoring.Kind.RATE  # no value: not projected (see forecast_line)


def _values(
    memo: registry.Memo,
    keys: list[str],
    stations: list[Station],
    start: datetime.date,
    end: datetime.date,
) -> dict[int, dict[str, Decimal | None]]:
    """The metrics as they are scored (as printed), for each station."""
    if not keys:
        return {s.pk: {} for s in stations}
    raw = memo.values(keys, start, end, stations)
    return {pk: {k: printed(k, v) for k, v in values.items()} for pk, values in raw.items()}


def compute_forecasts(
    frameworks: Sequence[Framework],
    as_of: datetime.date,
    *,
    memo: registry.Memo | None = None,
) -> dict[int, StationForecast]:
    """{framework id: its forecast as of ``as_of``}, every framework of the same year.

    Three periods for all of them: the year to date, last year to the same day and last year in
    full (the season of last year carries over where last year has records); on 31 December the
    second is the third and runs once. A page that also shows other figures of the same
    stations passes its ``memo``, so that a metric group is not run twice for a period.
    """
    frameworks = list(frameworks)
    if not frameworks:
        return {}
    year = as_of.year
    if any(f.year != year for f in frameworks):
        raise ValueError("the as-of date falls outside a framework's year")
    stations = [f.station for f in frameworks]
    memo = memo or registry.Memo(stations)
    indicators = {f.pk: ordered(list(f.indicators.all())) for f in frameworks}
    keys: list[str] = []
    for items in indicators.values():
        keys += [i.metric_key for i in items if i.metric_key and _registered(i.metric_key)]
    keys = list(dict.fromkeys(keys))
    amounts = [k for k in keys if registry.get(k).kind != registry.Kind.RATE]
    to_date = _values(memo, [*keys, *BUDGET_KEYS], stations, datetime.date(year, 1, 1), as_of)
    last_start = datetime.date(year - 1, 1, 1)
    last_full = _values(memo, amounts, stations, last_start, datetime.date(year - 1, 12, 31))
    same_day = monitoring.same_day_last_year(as_of)
    last_to_date = _values(memo, amounts, stations, last_start, same_day)
    result = {}
    for framework in frameworks:
        pk = framework.station.pk
        inputs = [
            monitoring.LineInput(
                line=scoring_line(i, to_date[pk].get(i.metric_key)),
                kind=_kind(i),
                last_to_date=last_to_date[pk].get(i.metric_key),
                last_full=last_full[pk].get(i.metric_key),
            )
            for i in indicators[framework.pk]
        ]
        forecast = monitoring.forecast(
            as_of=as_of,
            lines=inputs,
            budget_adjusted=to_date[pk]["budget.adjusted"] or Decimal(0),
            budget_executed=to_date[pk]["budget.executed"] or Decimal(0),
            budget_weight=framework.budget_weight,
            places=framework.places,
        )
        result[framework.pk] = StationForecast(framework, indicators[framework.pk], forecast)
    return result


def _registered(key: str) -> bool:
    try:
        registry.get(key)
    except registry.UnknownMetric:
        return False
    return True


# ------------------------------------------------------------------ the form of one station


class Judged:
    """A row with a judgment (``status``): the word the printed form has for it, and the label
    the page shows."""

    status: str

    @property
    def printed_status(self) -> str:
        return PRINTED_STATUS[self.status]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class BudgetRow(Judged):
    """A source or a project: its budget and what was paid to date (万元), against the time."""

    name: str
    adjusted: str
    executed: str
    rate: str | None
    status: str
    ref: int | None = None  # the project's id, for a link

    JSON_KEYS = ("name", "adjusted", "executed", "rate", "status")


@dataclass
class BudgetPart(Judged):
    adjusted: str
    executed: str
    rate: str | None
    projected_rate: str | None
    status: str
    forecast_score: str
    weight: str
    cause: str = ""
    measure: str = ""
    sources: list[BudgetRow] = field(default_factory=list)
    projects: list[BudgetRow] = field(default_factory=list)


@dataclass
class MonitoringRow(Judged):
    level1: str
    level2: str
    name: str
    comparator: str
    target: str
    unit: str
    weight: str
    actual: str | None
    projected: str | None
    status: str
    forecast_score: str | None
    cause: str
    measure: str
    printed_target: str = ""
    method: str = ""
    judged: bool = True
    source: str = ""
    indicator_id: int | None = None
    progress: int | None = None  # actual to date, percent of the target (bars), capped at 100
    projected_progress: int | None = None

    JSON_KEYS = (
        "level1",
        "level2",
        "name",
        "comparator",
        "target",
        "unit",
        "weight",
        "actual",
        "projected",
        "status",
        "forecast_score",
        "cause",
        "measure",
    )

    @property
    def needs_notes(self) -> bool:
        return monitoring.Status(self.status).needs_notes

    @property
    def note(self) -> str:
        """偏差原因 and 改进措施 as one printed cell."""
        return "\n".join(t for t in (self.cause, self.measure) if t.strip())

    @property
    def missing_notes(self) -> bool:
        return self.needs_notes and not (self.cause.strip() and self.measure.strip())


@dataclass
class MonitoringReport:
    station: str
    station_name: str
    year: int
    as_of: str
    time_share: str
    days_elapsed: int
    days_in_year: int
    state: str
    places: int
    budget: BudgetPart
    rows: list[MonitoringRow]
    forecast_total: str
    forecast_grade: str
    declared: dict[str, str] = field(default_factory=dict)
    framework_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON form of the ``monitoring`` command, exactly."""
        b = self.budget
        return {
            "station": self.station,
            "station_name": self.station_name,
            "year": self.year,
            "as_of": self.as_of,
            "time_share": self.time_share,
            "state": self.state,
            "budget": {
                "adjusted": b.adjusted,
                "executed": b.executed,
                "rate": b.rate,
                "projected_rate": b.projected_rate,
                "status": b.status,
                "forecast_score": b.forecast_score,
                "sources": [{k: getattr(r, k) for k in BudgetRow.JSON_KEYS} for r in b.sources],
                "projects": [{k: getattr(r, k) for k in BudgetRow.JSON_KEYS} for r in b.projects],
            },
            "indicators": [{k: getattr(r, k) for k in MonitoringRow.JSON_KEYS} for r in self.rows],
            "forecast_total": self.forecast_total,
            "forecast_grade": self.forecast_grade,
        }

    def to_snapshot(self) -> dict[str, Any]:
        return {"monitoring": self.to_json(), "report": asdict(self)}

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> MonitoringReport:
        data = dict(snapshot["report"])
        budget = dict(data.pop("budget"))
        budget["sources"] = [BudgetRow(**r) for r in budget["sources"]]
        budget["projects"] = [BudgetRow(**r) for r in budget["projects"]]
        return cls(
            **{
                **data,
                "budget": BudgetPart(**budget),
                "rows": [MonitoringRow(**r) for r in data["rows"]],
            }
        )

    def groups(self) -> list[dict[str, Any]]:
        return grouped_rows(self.rows, self.declared)

    @property
    def missing_notes(self) -> list[str]:
        """The lines at risk or off track still without a cause or a measure."""
        names = [r.name for r in self.rows if r.missing_notes]
        b = self.budget
        if monitoring.Status(b.status).needs_notes and not (b.cause.strip() and b.measure.strip()):
            names.insert(0, scoring.BUDGET_LINE)
        return names

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def _progress(comparator: str, target: str, value: Decimal | None) -> int | None:
    """How far a value is towards a more-is-better target, in percent (0-100), for a bar."""
    if value is None or comparator not in (">=", ">", "="):
        return None
    goal = Decimal(target)
    if goal <= 0:
        return None
    return int(min(Decimal(100), max(Decimal(0), value * 100 / goal)))


def _row(
    indicator: Indicator, line: monitoring.LineForecast, places: int, note: MonitoringNote | None
) -> MonitoringRow:
    manual_kind = indicator.kind.is_manual_kind
    if manual_kind:
        actual = projected = indicator.manual_actual.strip() or None
    else:
        actual = None if line.actual is None else plain(line.actual)
        projected = None if line.projected is None else plain(line.projected)
    return MonitoringRow(
        level1=indicator.level1,
        level2=indicator.level2,
        name=indicator.name,
        comparator=indicator.comparator,
        target=indicator.target,
        unit=indicator.unit,
        weight=plain(indicator.weight),
        actual=actual,
        projected=projected,
        status=line.status.value,
        forecast_score=places_text(line.score, places),
        cause=note.cause if note else "",
        measure=note.measure if note else "",
        printed_target=printed_target(indicator.comparator, indicator.target, indicator.unit),
        method=line.method.value,
        judged=line.judged,
        source=indicator.source,
        indicator_id=indicator.pk,
        progress=None
        if manual_kind
        else _progress(indicator.comparator, indicator.target, line.actual),
        projected_progress=None
        if manual_kind
        else _progress(indicator.comparator, indicator.target, line.projected),
    )


def _cut_rows(cuts: list[budget_api.Cut], as_of: datetime.date, refs: bool) -> list[BudgetRow]:
    rows = []
    for cut in cuts:
        if not cut.adjusted and not cut.executed:
            continue
        rate, status = monitoring.cut_status(cut.adjusted, cut.executed, as_of)
        rows.append(
            BudgetRow(
                name=cut.label,
                adjusted=wan(cut.adjusted),
                executed=wan(cut.executed),
                rate=None if rate is None else str(rate),
                status=status.value,
                ref=cut.ref if refs else None,
            )
        )
    return rows


def monitoring_for(framework: Framework) -> Monitoring:
    """The framework's monitoring record, or an unsaved draft."""
    found = Monitoring.objects.filter(framework=framework).first()
    return found or Monitoring(framework=framework)


def compute_monitoring(
    framework: Framework,
    as_of: datetime.date,
    *,
    forecast: StationForecast | None = None,
    execution: budget_api.Execution | None = None,
) -> MonitoringReport:
    """The form computed from the records (never from a sent copy)."""
    station = framework.station
    forecast = forecast or compute_forecasts([framework], as_of)[framework.pk]
    execution = execution or budget_api.execution_to_date(
        station=station, year=framework.year, as_of=as_of
    )
    record = monitoring_for(framework)
    notes = {n.indicator_id: n for n in record.notes.all()} if record.pk else {}
    result = forecast.forecast
    places = framework.places
    budget = result.budget
    return MonitoringReport(
        station=station.code,
        station_name=station.name,
        year=framework.year,
        as_of=as_of.isoformat(),
        time_share=str(result.time_share),
        days_elapsed=monitoring.days_elapsed(as_of),
        days_in_year=monitoring.days_in_year(as_of.year),
        state=Monitoring.State.DRAFT,
        places=places,
        budget=BudgetPart(
            adjusted=wan(budget.adjusted),
            executed=wan(budget.executed),
            rate=None if budget.rate is None else str(budget.rate),
            projected_rate=None if budget.projected_rate is None else str(budget.projected_rate),
            status=budget.status.value,
            forecast_score=places_text(budget.score, places) or "",
            weight=plain(budget.weight),
            cause=record.budget_cause,
            measure=record.budget_measure,
            sources=_cut_rows(execution.by_source, as_of, refs=False),
            projects=_cut_rows(execution.by_project, as_of, refs=True),
        ),
        rows=[
            _row(i, line, places, notes.get(i.pk))
            for i, line in zip(forecast.indicators, result.lines, strict=True)
        ],
        forecast_total=str(result.total),
        forecast_grade=result.grade,
        declared={k: plain(v) for k, v in framework.declared().items()},
        framework_id=framework.pk,
    )


def monitoring_report(framework: Framework, as_of: datetime.date) -> MonitoringReport:
    """The form as of ``as_of``: as it was sent for that date, computed otherwise."""
    record = monitoring_for(framework)
    if record.is_sent and record.sent_as_of == as_of and record.snapshot:
        return MonitoringReport.from_snapshot(record.snapshot)
    return compute_monitoring(framework, as_of)


def default_as_of(year: int, today: datetime.date) -> datetime.date:
    """The day a year is monitored on by default: today in the year, its last day once it ended."""
    if year < today.year:
        return datetime.date(year, 12, 31)
    return today if year == today.year else datetime.date(year, 1, 1)
