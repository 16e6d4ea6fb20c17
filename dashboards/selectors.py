"""Reads of the dashboards: figures from the metric registry and the monitoring forecast, lists from
each app's ``attention`` module, every figure with the link to the records behind it where the
user's role may read them (elsewhere it stays a figure).

Each page is a fixed number of queries whatever the number of records and of stations: figures
of many stations come from ``registry.compute_for_stations`` (one query a metric group).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from budget import api as budget_api
from cases import attention as cases_attention
from minors import attention as minors_attention
from performance import monitoring
from performance.models import Evaluation, Framework
from performance.monitoring_report import (
    STATUS_LABELS,
    Judged,
    MonitoringReport,
    compute_forecasts,
    compute_monitoring,
    default_as_of,
)
from performance.selectors import evaluation_report
from rescue_station import registry
from rescue_station.formatting import format_wan, percent, yuan_to_wan
from rescue_station.models import Station
from rescue_station.scoping import user_stations

from .charts import Chart, Series

THIS_YEAR, LAST_YEAR = "#1f5fa8", "#9aa5b1"
LISTED = 50  # rows of a list on a dashboard; its figure counts them all
HEADLINE = ["cases.intakes", "cases.person_days", "minors.minors_in_station"]
REGION = [*HEADLINE, "budget.adjusted", "budget.executed"]


@dataclass(frozen=True)
class Figure:
    """A number on a dashboard, with the list of records behind it when the user may read it."""

    label: str
    value: str
    url: str | None = None
    note: str = ""
    status: str = ""
    testid: str = ""


@dataclass(frozen=True)
class InboxItem:
    """Something waiting for the user: how many, where the records are, and some of them."""

    label: str
    count: int
    url: str | None = None
    testid: str = ""
    items: list[tuple[str, str | None, str]] = field(default_factory=list)  # (text, url, note)


def link(user: Any, perm: str, name: str, *args: Any, **query: Any) -> str | None:
    """The page's address when the user holds its permission, else None."""
    if not user.has_perm(perm):
        return None
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def count_text(value: Decimal | int | None) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}"


def _year_start(day: date) -> date:
    return date(day.year, 1, 1)


def framework_of(user: Any, station: Station, year: int) -> Framework | None:
    return (
        Framework.objects.for_user_at(user, station)
        .filter(year=year)
        .select_related("station")
        .prefetch_related("indicators")
        .first()
    )


# ---------------------------------------------------------------- one station's figures


@dataclass
class Overview:
    """What a station head (or a bureau reading one station) sees of a station's year."""

    station: Station
    as_of: date
    figures: list[Figure]
    report: MonitoringReport | None
    monitoring_url: str | None
    charts: list[Chart]
    length_bands: list[cases_attention.LengthBand]


def _months(station: Station, year: int, upto: date) -> list[dict[str, Decimal | None]]:
    """Intakes and person-days of each month of ``year`` up to ``upto`` (one query a month)."""
    months = []
    for month in range(1, 13):
        start = date(year, month, 1)
        if start > upto:
            break
        end = min(date(year, month, calendar.monthrange(year, month)[1]), upto)
        months.append(
            registry.compute_many(["cases.intakes", "cases.person_days"], station, start, end)
        )
    return months


def _month_labels() -> list[str]:
    return [_("Month %(month)s") % {"month": m} for m in range(1, 13)]


def _month_charts(station: Station, today: date) -> list[Chart]:
    this_year = _months(station, today.year, today)
    last_year = _months(station, today.year - 1, date(today.year - 1, 12, 31))
    labels = _month_labels()
    charts = []
    for key, title, chart_id in (
        ("cases.intakes", _("Intakes by month (人次)"), "chart-intakes"),
        ("cases.person_days", _("Person-days by month (人天次)"), "chart-person-days"),
    ):
        this = [m[key] for m in this_year] + [None] * (12 - len(this_year))
        last = [m[key] for m in last_year] + [None] * (12 - len(last_year))
        charts.append(
            Chart(
                id=chart_id,
                title=title,
                categories=labels,
                series=[
                    Series(str(today.year - 1), [_int(v) for v in last], type="bar"),
                    Series(str(today.year), [_int(v) for v in this], type="bar"),
                ],
                transpose=True,
                colors=[LAST_YEAR, THIS_YEAR],
            )
        )
    return charts


def _int(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def _length_chart(user: Any, bands: list[cases_attention.LengthBand]) -> Chart:
    links = [
        link(
            user,
            "cases.view_stay",
            "cases:stay_list",
            present="yes",
            **({"start": b.admitted_from.isoformat()} if b.admitted_from else {}),
            end=b.admitted_to.isoformat(),
        )
        for b in bands
    ]
    return Chart(
        id="chart-length",
        title=_("People in the station now, by nights stayed"),
        categories=[_("%(band)s days") % {"band": b.label} for b in bands],
        series=[Series(_("People"), [b.count for b in bands], labels=True)],
        links=links,
    )


def _budget_chart(station: Station, today: date, adjusted: Decimal) -> Chart:
    """Paid each month (万元), the execution rate cumulated, the share of the year gone."""
    year = today.year
    months = budget_api.monthly_executed(station=station, year=year, as_of=today)
    labels = _month_labels()
    paid, rate, share = [], [], []
    for m in range(1, 13):
        row = months[m - 1] if m <= len(months) else None
        month_end = date(year, m, calendar.monthrange(year, m)[1])
        paid.append(None if row is None else yuan_to_wan(row.executed))
        rate.append(None if row is None else percent(row.cumulative, adjusted))
        share.append(monitoring.time_share(min(month_end, today)) if row else None)
    return Chart(
        id="chart-budget",
        title=_("Budget execution by month, against the share of the year gone"),
        categories=labels,
        series=[
            Series(_("Paid (万元)"), paid, type="bar"),
            Series(_("Executed (%)"), rate, type="line", axis=1),
            Series(_("Time gone (%)"), share, type="line", axis=1),
        ],
        percent2=True,
        transpose=True,
        colors=[THIS_YEAR, "#067647", "#b42318"],
    )


def overview(user: Any, station: Station, today: date, year: int | None = None) -> Overview:
    """A year of one station (this year so far unless ``year`` says another): headline figures,
    the indicators against their targets with the forecast, the charts (by month this year and
    last, the people in the station now by length of stay, budget by month)."""
    as_of = default_as_of(year or today.year, today)
    start = _year_start(as_of)
    memo = registry.Memo([station])  # the headline and the forecast share the year's queries
    values = memo.values([*HEADLINE, "budget.adjusted"], start, as_of)[station.pk]
    framework = framework_of(user, station, as_of.year)
    report = None
    if framework:
        forecast = compute_forecasts([framework], as_of, memo=memo)[framework.pk]
        report = compute_monitoring(framework, as_of, forecast=forecast)
    bands = cases_attention.present_by_length(user, station, today)
    period = {"start": start.isoformat(), "end": as_of.isoformat()}
    monitoring_url = (
        link(user, "performance.view_framework", "performance:monitoring", framework.pk)
        if framework
        else None
    )
    figures = [
        Figure(
            _("Intakes (人次)"),
            count_text(values["cases.intakes"]),
            link(user, "cases.view_stay", "cases:stay_list", counted="intakes", **period),
            testid="figure-intakes",
        ),
        Figure(
            _("Person-days (人天次)"),
            count_text(values["cases.person_days"]),
            link(user, "cases.view_stay", "cases:stay_list", counted="stayed", **period),
            testid="figure-person-days",
        ),
        Figure(
            _("In the station now"),
            count_text(sum(b.count for b in bands)),
            link(user, "cases.view_stay", "cases:board"),
            testid="figure-present",
        ),
        Figure(
            _("Minors taken in"),
            count_text(values["minors.minors_in_station"]),
            link(user, "minors.view_minorcase", "minors:cases"),
            testid="figure-minors",
        ),
    ]
    charts = _month_charts(station, as_of)
    charts.append(_length_chart(user, bands))
    if report is not None:
        share = Decimal(report.time_share)
        figures += [
            Figure(
                _("Forecast score"),
                report.forecast_total,
                f"{monitoring_url}?as_of={as_of.isoformat()}" if monitoring_url else None,
                note=_("grade %(grade)s · as of %(day)s")
                % {"grade": report.forecast_grade, "day": report.as_of},
                testid="figure-forecast",
            ),
            Figure(
                _("Budget executed"),
                f"{report.budget.rate or '—'}%",
                link(user, "budget.view_budgetline", "budget:execution", year=as_of.year),
                note=_("time gone %(share)s%%") % {"share": share},
                status=report.budget.status,
                testid="figure-budget",
            ),
        ]
    charts.append(_budget_chart(station, as_of, values["budget.adjusted"] or Decimal(0)))
    return Overview(
        station=station,
        as_of=as_of,
        figures=figures,
        report=report,
        monitoring_url=monitoring_url,
        charts=charts,
        length_bands=bands,
    )


# ---------------------------------------------------------------- the head's inbox


@dataclass(frozen=True)
class Extension:
    extension: Any
    who: str


def _person(stay: Any, user: Any) -> str:
    if stay.is_minor and not user.has_perm("minors.view_minorcase"):
        return _("(minor)")
    return str(stay.person)


def pending_extensions(user: Any, station: Station) -> list[Extension]:
    if not user.has_perm("cases.approve_extension"):
        return []
    return [
        Extension(e, _person(e.stay, user))
        for e in cases_attention.pending_extensions(user, station)
    ]


def inbox(user: Any, station: Station, today: date, now: datetime) -> list[InboxItem]:
    """What waits for the station head, each entry where the user may read its list."""
    items = []
    if user.has_perm("cases.view_ticket"):
        overdue = cases_attention.overdue_tickets(user, station, now)
        tickets = list(overdue[:5])
        items.append(
            InboxItem(
                _("Tickets past their deadline"),
                overdue.count(),
                link(user, "cases.view_ticket", "cases:ticket_list"),
                "inbox-tickets",
                [
                    (
                        f"{t.get_channel_display()} {t.number or t.pk} · {t.summary[:40]}",
                        link(user, "cases.change_ticket", "cases:ticket_edit", t.pk),
                        _("due %(when)s")
                        % {"when": timezone.localtime(t.deadline).strftime("%Y-%m-%d %H:%M")},
                    )
                    for t in tickets
                ],
            )
        )
    if user.has_perm("minors.view_minorcase"):
        due = minors_attention.reports_due(user, station, now)
        items.append(
            InboxItem(
                _("Mandatory reports overdue"),
                due.overdue,
                link(user, "minors.view_minorcase", "minors:cases", overdue="1"),
                "inbox-reports-overdue",
            )
        )
        items.append(
            InboxItem(
                _("Mandatory reports to make (within the deadline)"),
                due.pending,
                link(user, "minors.view_mandatoryreport", "minors:reports"),
                "inbox-reports-pending",
            )
        )
    if user.has_perm("cases.view_stay"):
        due_rows = cases_attention.due_in_station(user, station)
        items.append(
            InboxItem(
                _("Tracing deadlines missed"),
                len(due_rows.tracing),
                link(user, "cases.view_stay", "cases:board"),
                "inbox-tracing",
                [
                    (
                        _person(r.stay, user),
                        link(user, "cases.view_stay", "cases:stay_detail", r.stay.pk),
                        "、".join(str(d) for d in r.tracing_due),
                    )
                    for r in due_rows.tracing[:5]
                ],
            )
        )
        items.append(
            InboxItem(
                _("Over the stay limit"),
                len(due_rows.over_limit),
                link(user, "cases.view_stay", "cases:board"),
                "inbox-over-limit",
            )
        )
    if user.has_perm("cases.view_longstay"):
        items.append(
            InboxItem(
                _("Long-stay candidates"),
                cases_attention.long_stay_candidate_count(user, station),
                link(user, "cases.view_longstay", "cases:long_stay_list"),
                "inbox-long-stay",
            )
        )
    if user.has_perm("performance.view_evaluation"):
        drafts = evaluations_to_finalise(user, station, today)
        items.append(
            InboxItem(
                _("Self-evaluations waiting to be finalised"),
                len(drafts),
                link(user, "performance.view_framework", "performance:index"),
                "inbox-evaluations",
                [
                    (
                        _("%(year)s self-evaluation") % {"year": e.framework.year},
                        link(
                            user, "performance.view_evaluation", "performance:form", e.framework_id
                        ),
                        "",
                    )
                    for e in drafts
                ],
            )
        )
    return items


def evaluations_to_finalise(user: Any, station: Station, today: date) -> list[Evaluation]:
    """Draft self-evaluations of years that have ended."""
    return list(
        Evaluation.objects.for_user_at(user, station)
        .filter(framework__year__lt=today.year)
        .exclude(status=Evaluation.Status.FINAL)
        .select_related("framework")
        .order_by("-framework__year")
    )


# ---------------------------------------------------------------- the staff's page


@dataclass
class Work:
    station: Station
    figures: list[Figure]
    due: cases_attention.Due
    tickets_due: list[Any]
    tickets_overdue: list[Any]
    patrols: list[Any]
    week: tuple[date, date]
    show_minors: bool
    minors_count: int


def staff_work(user: Any, station: Station, today: date, now: datetime) -> Work:
    """Who is in the station and what is due today for the intake and street staff."""
    due = cases_attention.due_in_station(user, station)
    tickets_due = list(cases_attention.tickets_due(user, station, today, now))
    overdue = cases_attention.overdue_tickets(user, station, now)
    overdue_count = overdue.count()
    tickets_overdue = list(overdue[:LISTED])  # the most overdue; the figure counts them all
    week = cases_attention.week_of(today)
    patrols = list(cases_attention.patrols_between(user, station, *week))
    board = link(user, "cases.view_stay", "cases:board")
    week_query = {"start": week[0].isoformat(), "end": week[1].isoformat()}
    figures = [
        Figure(
            _("In the station now"), count_text(len(due.present)), board, testid="staff-present"
        ),
        Figure(
            _("Over the stay limit"),
            count_text(len(due.over_limit)),
            board,
            status="off_track" if due.over_limit else "",
            testid="staff-over-limit",
        ),
        Figure(
            _("Due to leave (limit today or tomorrow)"), count_text(len(due.due_to_leave)), board
        ),
        Figure(
            _("Tracing notices and DNA requests due"),
            count_text(len(due.tracing)),
            board,
            status="at_risk" if due.tracing else "",
        ),
        Figure(
            _("Tickets due today"),
            count_text(len(tickets_due)),
            link(user, "cases.view_ticket", "cases:ticket_list"),
            note=_("%(n)s past their deadline") % {"n": overdue_count},
            status="off_track" if overdue_count else "",
        ),
        Figure(
            _("Patrols this week"),
            count_text(len(patrols)),
            link(user, "cases.view_streetpatrol", "cases:patrol_list", **week_query),
        ),
        Figure(
            _("Minors in the station"),
            count_text(len(due.minors)),
            link(user, "minors.view_minorcase", "minors:cases") or board,
        ),
    ]
    return Work(
        station=station,
        figures=figures,
        due=due,
        tickets_due=tickets_due,
        tickets_overdue=tickets_overdue,
        patrols=patrols,
        week=week,
        show_minors=user.has_perm("minors.view_minorcase"),
        minors_count=len(due.minors),
    )


# ---------------------------------------------------------------- the finance officer's page


@dataclass(frozen=True)
class CutRow(Judged):
    label: str
    code: str
    adjusted: str
    executed: str
    rate: Decimal | None
    status: str
    url: str | None = None


@dataclass
class Finance:
    station: Station
    year: int
    as_of: date
    time_share: Decimal
    total: CutRow
    cuts: list[tuple[str, list[CutRow]]]
    behind: list[CutRow]
    charts: list[Chart]
    evaluation: Any  # last year's report (performance.report.Report) or None
    evaluation_framework: Framework | None
    evaluation_status: str
    monitoring: MonitoringReport | None
    monitoring_framework: Framework | None


def _cut_rows(
    user: Any, cuts: list[budget_api.Cut], as_of: date, url_name: str = "", perm: str = ""
) -> list[CutRow]:
    rows = []
    for cut in cuts:
        if not cut.adjusted and not cut.executed:
            continue
        rate, status = monitoring.cut_status(cut.adjusted, cut.executed, as_of)
        url = link(user, perm, url_name, cut.ref) if url_name and cut.ref else None
        rows.append(
            CutRow(
                cut.label,
                cut.code,
                format_wan(cut.adjusted),
                format_wan(cut.executed),
                rate,
                status.value,
                url,
            )
        )
    return rows


def _rate_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    rows: list[Any],
    share: Decimal,
    status: str = "status",
) -> Chart:
    """Execution rates (horizontal bars coloured by judgment) against the time gone."""
    return Chart(
        id=chart_id,
        title=title,
        kind="hbars",
        categories=labels,
        series=[
            Series(
                _("Executed to date (%)"),
                [r.rate for r in rows],
                statuses=[getattr(r, status) for r in rows],
                labels=True,
            )
        ],
        percent=True,
        mark=(share, _("time gone %(share)s%%") % {"share": share}),
        links=[r.url for r in rows],
    )


def finance(user: Any, station: Station, year: int, today: date) -> Finance:
    """Execution by source, nature, project, function code and line against the time gone; the
    self-evaluation of the year before; this year's monitoring form."""
    as_of = default_as_of(year, today)
    execution = budget_api.execution_to_date(station=station, year=year, as_of=as_of)
    share = monitoring.time_share(as_of)
    rate, status = monitoring.cut_status(execution.total.adjusted, execution.total.executed, as_of)
    total = CutRow(
        _("Total"),
        "",
        format_wan(execution.total.adjusted),
        format_wan(execution.total.executed),
        rate,
        status.value,
        link(user, "budget.view_budgetline", "budget:execution", year=year),
    )
    by_source = _cut_rows(user, execution.by_source, as_of)
    by_project = _cut_rows(
        user, execution.by_project, as_of, "budget:project_detail", "budget.view_project"
    )
    lines = _cut_rows(user, execution.lines, as_of, "budget:line_detail", "budget.view_budgetline")
    cuts = [
        (_("By source"), by_source),
        (_("By nature"), _cut_rows(user, execution.by_nature, as_of)),
        (_("By project"), by_project),
        (_("By function code"), _cut_rows(user, execution.by_function, as_of)),
    ]
    last = framework_of(user, station, year - 1)
    evaluation = evaluation_report(last) if last else None
    this = framework_of(user, station, year)
    return Finance(
        station=station,
        year=year,
        as_of=as_of,
        time_share=share,
        total=total,
        cuts=cuts,
        behind=[r for r in lines if r.status != "on_track"],
        charts=[
            _rate_chart(
                "chart-sources",
                _("Execution by source"),
                [r.label for r in by_source],
                by_source,
                share,
            ),
            _rate_chart(
                "chart-projects",
                _("Execution by project"),
                [r.label for r in by_project],
                by_project,
                share,
            ),
        ],
        evaluation=evaluation,
        evaluation_framework=last,
        evaluation_status=evaluation.status if evaluation else "",
        monitoring=compute_monitoring(this, as_of) if this else None,
        monitoring_framework=this,
    )


# ---------------------------------------------------------------- stations side by side


@dataclass(frozen=True)
class StationRow:
    station: Station
    url: str | None
    intakes: str
    person_days: str
    minors: str
    adjusted: str
    executed: str
    rate: Decimal | None
    budget_status: str
    forecast: str
    grade: str
    on_track: int | None
    at_risk: int | None
    off_track: int | None

    @property
    def budget_status_label(self) -> str:
        return str(STATUS_LABELS[self.budget_status])


@dataclass
class Region:
    year: int
    as_of: date
    time_share: Decimal
    rows: list[StationRow]
    total: StationRow | None
    charts: list[Chart]


def region(user: Any, year: int, today: date) -> Region:
    """The user's stations side by side: headline figures, budget against the time gone, the
    forecast score and the judgments of each, with the region's totals. Aggregates only."""
    as_of = default_as_of(year, today)
    stations = list(user_stations(user).order_by("region_code", "code"))
    frameworks: QuerySet[Framework] = (
        Framework.objects.for_stations(stations)
        .filter(year=year)
        .select_related("station")
        .prefetch_related("indicators")
    )
    by_station = {f.station_id: f for f in frameworks}
    memo = registry.Memo(stations)  # the headline and the forecasts share each period's queries
    forecasts = compute_forecasts(list(by_station.values()), as_of, memo=memo)
    values = memo.values(REGION, date(year, 1, 1), as_of)
    share = monitoring.time_share(as_of)
    rows = []
    for station in stations:
        v = values[station.pk]
        framework = by_station.get(station.pk)
        result = forecasts[framework.pk].forecast if framework else None
        rows.append(_station_row(user, station, v, result, as_of))
    total = None
    if len(stations) > 1:
        summed = {
            k: sum((values[s.pk][k] or Decimal(0) for s in stations), Decimal(0)) for k in REGION
        }
        total = _station_row(user, None, summed, None, as_of)
    charts = []
    if rows:
        charts = [
            _rate_chart(
                "chart-region-budget",
                _("Budget executed by station, against the time gone"),
                [r.station.name for r in rows],
                rows,
                share,
                status="budget_status",
            ),
            Chart(
                id="chart-region-forecast",
                title=_("Forecast score by station"),
                kind="hbars",
                categories=[r.station.name for r in rows],
                series=[
                    Series(
                        _("Forecast score"),
                        [Decimal(r.forecast) if r.forecast != "—" else None for r in rows],
                        labels=True,
                    )
                ],
                max=100,
                mark=(Decimal(90), _("优 from 90")),
                links=[r.url for r in rows],
            ),
        ]
    return Region(year, as_of, share, rows, total, charts)


def _station_row(
    user: Any,
    station: Station | None,
    v: dict[str, Decimal | None],
    result: monitoring.Forecast | None,
    as_of: date,
) -> StationRow:
    adjusted = v["budget.adjusted"] or Decimal(0)
    executed = v["budget.executed"] or Decimal(0)
    rate, status = monitoring.cut_status(adjusted, executed, as_of)
    url = None
    if station is not None:
        url = link(user, "rescue_station.view_dashboard", "dashboards:region_station", station.code)
        if url:
            url = f"{url}?{urlencode({'year': as_of.year})}"
    return StationRow(
        station=station,
        url=url,
        intakes=count_text(v["cases.intakes"]),
        person_days=count_text(v["cases.person_days"]),
        minors=count_text(v["minors.minors_in_station"]),
        adjusted=format_wan(adjusted),
        executed=format_wan(executed),
        rate=rate,
        budget_status=status.value,
        forecast=str(result.total) if result else "—",
        grade=result.grade if result else "",
        on_track=result.count(monitoring.Status.ON_TRACK) if result else None,
        at_risk=result.count(monitoring.Status.AT_RISK) if result else None,
        off_track=result.count(monitoring.Status.OFF_TRACK) if result else None,
    )
