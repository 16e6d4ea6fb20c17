"""Writes of the minors app: keyword-only, atomic, validated, with the acting user recorded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Source, Stay
from rescue_station import selectors as core_selectors
from rescue_station.audit import bulk_history_insert, save_audited
from rescue_station.models import Station
from rescue_station.plausible import local_date

from .models import (
    Activity,
    CaseReason,
    Child,
    CounsellingSession,
    FollowUp,
    GuardianshipAssessment,
    Intervention,
    MandatoryReport,
    MinorCase,
    Visit,
    VisitStatus,
    next_visit_due,
)
from .selectors import policy_for

# The reason a case opened from a stay starts with; the worker corrects it after talking with the minor.
REASON_BY_SOURCE = {
    Source.POLICE: CaseReason.POLICE_REFERRAL,
    Source.CITIZEN: CaseReason.CITIZEN_REFERRAL,
}


@transaction.atomic
def minor_case_open_for_stay(*, stay: Stay, acting_user: Any) -> MinorCase | None:
    """Open the case of a minor's stay (once): nothing for an adult's stay."""
    if not stay.is_minor:
        return None
    existing = MinorCase.objects.filter(stay=stay).first()
    if existing is not None:
        return existing
    return save_audited(
        _case_for_stay(stay, acting_user), acting_user=acting_user, reason=OPENED_FOR_STAY
    )


OPENED_FOR_STAY = "opened for a minor's stay"
BATCH = 500


@transaction.atomic
def minor_cases_open_for_stays(*, stays: Sequence[Stay], acting_user: Any) -> list[MinorCase]:
    """``minor_case_open_for_stay`` for many new stays (an import): the cases of the minors'
    stays that have none, validated one by one, written with their history rows in bulk."""
    minors = [stay for stay in stays if stay.is_minor]
    have: set[int] = set()
    for start in range(0, len(minors), BATCH):
        batch = [stay.pk for stay in minors[start : start + BATCH]]
        have.update(MinorCase.objects.filter(stay__in=batch).values_list("stay_id", flat=True))
    cases = []
    for stay in minors:
        if stay.pk not in have:
            case = _case_for_stay(stay, acting_user)
            # The foreign keys are the stay's own: checking them would cost a query each.
            case.full_clean(exclude=["station", "stay", "opened_by"], validate_constraints=False)
            case._history_date = timezone.now()  # type: ignore[attr-defined]
            cases.append(case)
    MinorCase.objects.bulk_create(cases, batch_size=BATCH)
    bulk_history_insert(MinorCase, cases, acting_user=acting_user, reason=OPENED_FOR_STAY)
    return cases


def _case_for_stay(stay: Stay, acting_user: Any) -> MinorCase:
    return MinorCase(
        station=stay.station,
        stay=stay,
        opened_at=stay.admitted_at,
        opened_on=local_date(stay.admitted_at),
        reason=REASON_BY_SOURCE.get(stay.source, CaseReason.OTHER),
        opened_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )


@transaction.atomic
def minor_case_open(
    *,
    station: Station,
    acting_user: Any,
    opened_at: datetime | None = None,
    stay: Stay | None = None,
    child: Child | None = None,
    **fields: Any,
) -> MinorCase:
    """Open a case by hand, for a minor's stay or a registered child of the station."""
    if stay is not None and stay.station_id != station.pk:
        raise ValueError("the stay belongs to another station")
    if child is not None and child.station_id != station.pk:
        raise ValueError("the child belongs to another station")
    opened_at = opened_at or timezone.now()
    case = MinorCase(
        station=station,
        stay=stay,
        child=child,
        opened_at=opened_at,
        opened_on=local_date(opened_at),
        opened_by=acting_user,
        **fields,
    )
    return save_audited(case, acting_user=acting_user)


@transaction.atomic
def minor_case_update(
    *, case: MinorCase, acting_user: Any, expected_version: int | None = None, **fields: Any
) -> MinorCase:
    """Change the case's details (reason, guardian, advice, harm disclosure, outcome), from
    ``expected_version``, the version the form was loaded from, when given."""
    for name, value in fields.items():
        setattr(case, name, value)
    if case.outcome and not case.outcome_on:
        case.outcome_on = core_selectors.local_today()
    return save_audited(case, acting_user=acting_user, expected_version=expected_version)


@transaction.atomic
def counselling_record(
    *,
    case: MinorCase,
    held_on: date,
    provider_role: str,
    acting_user: Any,
    provider_name: str = "",
    notes: str = "",
) -> CounsellingSession:
    session = CounsellingSession(
        case=case,
        held_on=held_on,
        provider_role=provider_role,
        provider_name=provider_name,
        notes=notes,
        recorded_by=acting_user,
    )
    return save_audited(session, acting_user=acting_user)


@transaction.atomic
def mandatory_report_record(
    *,
    case: MinorCase,
    suspicion: str,
    reported_at: datetime,
    recipient: str,
    acting_user: Any,
    recipient_unit: str = "",
    receipt_no: str = "",
    follow_up: str = "",
) -> MandatoryReport:
    """Record a mandatory report; a case without a disclosure time takes the report's time."""
    report = MandatoryReport(
        case=case,
        suspicion=suspicion,
        reported_at=reported_at,
        recipient=recipient,
        recipient_unit=recipient_unit,
        receipt_no=receipt_no,
        follow_up=follow_up,
        recorded_by=acting_user,
    )
    save_audited(report, acting_user=acting_user)
    if case.harm_disclosed_at is None:
        case.harm_disclosed_at = reported_at
        save_audited(case, acting_user=acting_user, reason="harm disclosed (mandatory report)")
    return report


@transaction.atomic
def mandatory_report_update(
    *, report: MandatoryReport, acting_user: Any, expected_version: int | None = None, **fields: Any
) -> MandatoryReport:
    """Add the receipt number or the follow-up once they are known."""
    for name, value in fields.items():
        setattr(report, name, value)
    return save_audited(report, acting_user=acting_user, expected_version=expected_version)


def _schedule_next_visit(child: Child) -> None:
    """Due one risk-level interval after the last visit done (after registration for a new child);
    a visit only planned does not move it."""
    last = None
    if child.pk:
        last = (
            child.visits.done().order_by("-visited_on").values_list("visited_on", flat=True).first()
        )
    child.next_visit_due = next_visit_due(
        policy=policy_for(child.station),
        risk_level=child.risk_level,
        last=last or child.registered_on,
    )


@transaction.atomic
def child_register(*, station: Station, acting_user: Any, **fields: Any) -> Child:
    child = Child(station=station, **fields)
    _schedule_next_visit(child)
    return save_audited(child, acting_user=acting_user)


@transaction.atomic
def child_update(
    *, child: Child, acting_user: Any, expected_version: int | None = None, **fields: Any
) -> Child:
    for name, value in fields.items():
        setattr(child, name, value)
    _schedule_next_visit(child)  # the risk level sets the interval
    return save_audited(child, acting_user=acting_user, expected_version=expected_version)


@transaction.atomic
def visit_record(
    *,
    child: Child,
    visited_on: date,
    acting_user: Any,
    worker: Any = None,
    occasion: str = "routine",
    findings: str = "",
    help_given: str = "",
) -> Visit:
    """Record a visit and move the child's next visit due date on."""
    visit = Visit(
        child=child,
        visited_on=visited_on,
        occasion=occasion,
        worker=worker or acting_user,
        findings=findings,
        help_given=help_given,
    )
    save_audited(visit, acting_user=acting_user)
    _schedule_next_visit(child)
    save_audited(child, acting_user=acting_user, reason="visit recorded")
    return visit


@transaction.atomic
def visit_plan(
    *,
    child: Child,
    planned_on: date,
    acting_user: Any,
    worker: Any = None,
    occasion: str = "routine",
) -> Visit:
    """Plan a visit: the date and who is to go (the acting user unless named). The child's next
    visit due date stays where the visits done put it."""
    visit = Visit(
        child=child,
        status=VisitStatus.PLANNED,
        planned_on=planned_on,
        occasion=occasion,
        worker=worker or acting_user,
    )
    return save_audited(visit, acting_user=acting_user)


@transaction.atomic
def visit_record_done(
    *,
    visit: Visit,
    visited_on: date,
    acting_user: Any,
    expected_version: int | None = None,
    worker: Any = None,
    occasion: str | None = None,
    findings: str = "",
    help_given: str = "",
) -> Visit:
    """Record a planned visit as done on ``visited_on`` (a day that has come: the rules refuse a
    date in the future), from the version the form was loaded from, and move the child's next
    visit due date on."""
    if not visit.is_planned:
        raise ValidationError(_("This visit is already recorded as done."), code="visit_done")
    visit.status = VisitStatus.DONE
    visit.visited_on = visited_on
    visit.worker = worker or visit.worker or acting_user
    if occasion:
        visit.occasion = occasion
    visit.findings = findings
    visit.help_given = help_given
    save_audited(
        visit, acting_user=acting_user, reason="visit done", expected_version=expected_version
    )
    child = visit.child
    _schedule_next_visit(child)
    save_audited(child, acting_user=acting_user, reason="visit recorded")
    return visit


@transaction.atomic
def followup_assign(
    *,
    child: Child,
    worker: Any,
    started_on: date,
    acting_user: Any,
    worker_role: str = "social_worker",
    ended_on: date | None = None,
    goal: str = "",
) -> FollowUp:
    followup = FollowUp(
        child=child,
        worker=worker,
        worker_role=worker_role,
        started_on=started_on,
        ended_on=ended_on,
        goal=goal,
    )
    return save_audited(followup, acting_user=acting_user)


@transaction.atomic
def assessment_record(
    *,
    child: Child,
    assessed_on: date,
    result: str,
    acting_user: Any,
    guidance: str = "",
    assessor: Any = None,
) -> GuardianshipAssessment:
    assessment = GuardianshipAssessment(
        child=child,
        assessed_on=assessed_on,
        result=result,
        guidance=guidance,
        assessor=assessor or acting_user,
    )
    return save_audited(assessment, acting_user=acting_user)


@transaction.atomic
def intervention_record(
    *,
    child: Child,
    started_on: date,
    plan: str,
    acting_user: Any,
    actions: str = "",
    closed_on: date | None = None,
    worker: Any = None,
) -> Intervention:
    intervention = Intervention(
        child=child,
        started_on=started_on,
        plan=plan,
        actions=actions,
        closed_on=closed_on,
        worker=worker or acting_user,
    )
    return save_audited(intervention, acting_user=acting_user)


@transaction.atomic
def activity_record(
    *,
    station: Station,
    acting_user: Any,
    children: Iterable[Child] = (),
    **fields: Any,
) -> Activity:
    """Record an activity; named children must be registered children of the same station."""
    children = list(children)
    if any(c.station_id != station.pk for c in children):
        raise ValueError("a named child belongs to another station")
    activity = save_audited(Activity(station=station, **fields), acting_user=acting_user)
    activity.children.set(children)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    acting_user: Any,
    children: Iterable[Child] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Activity:
    for name, value in fields.items():
        setattr(activity, name, value)
    save_audited(activity, acting_user=acting_user, expected_version=expected_version)
    if children is not None:
        children = list(children)
        if any(c.station_id != activity.station_id for c in children):
            raise ValueError("a named child belongs to another station")
        activity.children.set(children)
    return activity
