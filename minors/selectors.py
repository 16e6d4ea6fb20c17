"""Reads of the minors app. Views reach records only through these or the scoped managers."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from rescue_station import selectors as core_selectors
from rescue_station.models import Station

from .models import (
    Activity,
    Child,
    CounsellingSession,
    Intervention,
    MandatoryReport,
    MinorCase,
    MinorsPolicy,
    Visit,
    VisitStatus,
)

if TYPE_CHECKING:
    from .filters import ActivityFilter, CaseFilter, ChildFilter, ReportFilter
    from .forms import ActivityMonthForm, VisitsDueFilterForm


def policy_for(station: Station) -> MinorsPolicy:
    """The station's policy, or the defaults (unsaved) when the station has not set its own."""
    return MinorsPolicy.objects.filter(station=station).first() or MinorsPolicy(station=station)


def report_deadline(station: Station) -> timedelta:
    return timedelta(hours=policy_for(station).report_deadline_hours)


def cases_missing_report(cases: QuerySet[MinorCase], *, now: datetime) -> QuerySet[MinorCase]:
    """Cases with a disclosed harm and no mandatory report once the station's deadline has passed.

    The deadline is per station, so the cut-off time is computed for each station of the queryset.
    """
    no_report = cases.filter(harm_disclosed_at__isnull=False).exclude(
        Exists(MandatoryReport.objects.filter(case=OuterRef("pk")))
    )
    condition = Q(pk__in=[])
    for station in Station.objects.filter(pk__in=no_report.values("station")):
        cutoff = now - report_deadline(station)
        condition |= Q(station=station, harm_disclosed_at__lte=cutoff)
    return no_report.filter(condition)


def _reported_late(reports: QuerySet[MandatoryReport]) -> Q:
    """Reports made after their station's deadline counted from the disclosure of the harm
    (已超期): the one definition, read by the register's filter and its badge."""
    condition = Q(pk__in=[])
    for station in Station.objects.filter(pk__in=reports.values("case__station")):
        deadline = F("case__harm_disclosed_at") + report_deadline(station)
        condition |= Q(case__station=station, reported_at__gt=deadline)
    return condition


def report_list(user: Any, station: Station, data: Any) -> ReportFilter:
    """The register of the station worked in, each report with ``is_late``, filtered by
    ``data``."""
    from .filters import ReportFilter

    reports = MandatoryReport.objects.for_user_at(user, station).select_related(
        "case__stay__person", "case__child"
    )
    condition = _reported_late(reports)
    reports = reports.annotate(is_late=ExpressionWrapper(condition, output_field=BooleanField()))
    return ReportFilter(data, reports)


def case_list(user: Any, station: Station, data: Any) -> CaseFilter:
    """The cases of ``user`` at ``station`` filtered by ``data`` (a query string), each with
    ``has_counselling`` and ``has_report``: ``.qs`` the rows, ``.form`` the filter form."""
    from .filters import CaseFilter  # here, as for every list: minors.forms is not loaded yet

    cases = MinorCase.objects.for_user_at(user, station).select_related("stay__person", "child")
    cases = cases.annotate(
        has_counselling=Exists(CounsellingSession.objects.filter(case=OuterRef("pk"))),
        has_report=Exists(MandatoryReport.objects.filter(case=OuterRef("pk"))),
    )
    return CaseFilter(data, cases)


@dataclass(frozen=True)
class TimelineEntry:
    when: date | datetime
    kind: str
    label: str
    record: Any


def case_timeline(case: MinorCase) -> list[TimelineEntry]:
    """Counselling, reports and (for a registered child) interventions, oldest first."""
    entries = [TimelineEntry(timezone.localtime(case.opened_at), "opened", "", case)]
    if case.harm_disclosed_at:
        entries.append(
            TimelineEntry(timezone.localtime(case.harm_disclosed_at), "disclosed", "", case)
        )
    entries += [TimelineEntry(s.held_on, "counselling", "", s) for s in case.counselling.all()]
    entries += [
        TimelineEntry(timezone.localtime(r.reported_at), "report", "", r)
        for r in case.reports.all()
    ]
    if case.child_id:
        entries += [
            TimelineEntry(i.started_on, "intervention", "", i)
            for i in case.child.interventions.all()
        ]
    if case.outcome_on:
        entries.append(TimelineEntry(case.outcome_on, "outcome", "", case))

    # By day; within a day the opening comes first and the outcome last.
    rank = {"opened": 0, "outcome": 2}

    def key(e: TimelineEntry) -> tuple[date, int, str]:
        day = e.when.date() if isinstance(e.when, datetime) else e.when
        clock = e.when.strftime("%H:%M") if isinstance(e.when, datetime) else ""
        return (day, rank.get(e.kind, 1), clock)

    return sorted(entries, key=key)


def child_list(user: Any, station: Station, data: Any) -> ChildFilter:
    """The children of ``user`` at ``station`` filtered by ``data``, each with ``last_visit``,
    the next visit due first."""
    from .filters import ChildFilter

    children = Child.objects.for_user_at(user, station).annotate(
        last_visit=Max("visits__visited_on")
    )
    return ChildFilter(
        data,
        children.order_by("next_visit_due", "name", "pk"),
        form_kwargs={"townships": townships(user, station)},
    )


class DueState:
    PLANNED = "planned"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class DueVisit:
    """A line of the visits due: a planned visit, or a child due a visit with none planned."""

    child: Child
    visit: Visit | None  # the planned visit; None: nothing is planned
    on: date  # the day planned, or the day the visit fell due
    overdue: bool  # the day planned has passed, or the visit fell due with nothing planned

    @property
    def state(self) -> str:
        return DueState.OVERDUE if self.overdue else DueState.PLANNED


def visits_due(
    user: Any, station: Station, *, state: str = "", today: date | None = None
) -> list[DueVisit]:
    """The visits to make, in the station worked in: every planned visit (overdue once its day has
    passed) and every child whose visit interval has elapsed with no visit planned; the
    overdue first, then by day."""
    today = today or core_selectors.local_today()
    planned = (
        Visit.objects.for_user_at(user, station)
        .planned()
        .select_related("child", "worker")
        .order_by("planned_on", "pk")
    )
    lines = [DueVisit(v.child, v, v.planned_on, v.planned_on < today) for v in planned]
    unplanned = (
        Child.objects.for_user_at(user, station)
        .filter(next_visit_due__lte=today)
        .exclude(Exists(Visit.objects.filter(child=OuterRef("pk"), status=VisitStatus.PLANNED)))
        .order_by("next_visit_due", "name", "pk")
    )
    lines += [DueVisit(c, None, c.next_visit_due, True) for c in unplanned]
    if state in (DueState.PLANNED, DueState.OVERDUE):
        lines = [line for line in lines if line.state == state]
    return sorted(lines, key=lambda line: (not line.overdue, line.on, line.child.name))


def visits_due_filtered(
    user: Any, station: Station, data: Any
) -> tuple[VisitsDueFilterForm, list[DueVisit]]:
    """The visits due filtered by the query string ``data`` (``state``) through its filter
    form: a state the form refuses leaves the list whole, with the form's error."""
    from .forms import VisitsDueFilterForm

    form = VisitsDueFilterForm(data or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    return form, visits_due(user, station, state=state)


def planned_visits(child: Child) -> QuerySet[Visit]:
    return child.visits.planned().select_related("worker").order_by("planned_on", "pk")


def visits_done(child: Child) -> QuerySet[Visit]:
    return child.visits.done().select_related("worker").order_by("-visited_on", "-pk")


def townships(user: Any, station: Station) -> list[str]:
    return list(
        Child.objects.for_user_at(user, station)
        .exclude(township="")
        .order_by("township")
        .values_list("township", flat=True)
        .distinct()
    )


def children_without_intervention(children: QuerySet[Child]) -> QuerySet[Child]:
    """Children reported in difficulty who still have no case intervention."""
    return children.filter(reported_on__isnull=False).exclude(
        Exists(Intervention.objects.filter(child=OuterRef("pk")))
    )


def activity_list(user: Any, station: Station, data: Any, *, years: list[int]) -> ActivityFilter:
    """The activities of ``user`` at ``station`` filtered by ``data``, newest first; ``years``
    the year selector offers."""
    from .filters import ActivityFilter

    activities = Activity.objects.for_user_at(user, station).annotate(named=Count("children"))
    return ActivityFilter(
        data, activities.order_by("-held_on", "-pk"), form_kwargs={"years": years}
    )


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    activities: list[Activity] = field(default_factory=list)


@dataclass(frozen=True)
class ActivityCalendar:
    """The calendar page's month: its filter form, first day, weeks and the type it shows."""

    form: ActivityMonthForm
    first: date
    weeks: list[list[CalendarDay]]
    kind: str


def activity_calendar(user: Any, station: Station, data: Any) -> ActivityCalendar:
    """The month of activities the query string ``data`` asks for (``year``, ``month``: this
    month when absent, 400 when out of range; ``kind``: every type when absent or not one)."""
    from .forms import ActivityMonthForm

    form = ActivityMonthForm(data or None)
    form.is_valid()  # a year or month out of range raises BadQuery (400)
    today = core_selectors.local_today()
    values = form.cleaned_data if form.is_bound else {}
    year = values.get("year") or today.year
    month = values.get("month") or today.month
    kind = values.get("kind", "")
    weeks = activity_month(user, station, year=year, month=month, kind=kind)
    return ActivityCalendar(form, date(year, month, 1), weeks, kind)


def activity_month(
    user: Any, station: Station, *, year: int, month: int, kind: str = ""
) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first) of days with their activities."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    activities = Activity.objects.for_user_at(user, station).filter(held_on__range=(start, end))
    if kind:
        activities = activities.filter(kind=kind)
    by_day: dict[date, list[Activity]] = {}
    for activity in activities.order_by("held_on", "pk"):
        by_day.setdefault(activity.held_on, []).append(activity)
    weeks: list[list[CalendarDay]] = []
    day = start
    while day <= end:
        week = []
        for _ in range(7):
            week.append(CalendarDay(day, day.month == month, by_day.get(day, [])))
            day += timedelta(days=1)
        weeks.append(week)
    return weeks
