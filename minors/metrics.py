"""The minors app's figures for reports and dashboards, computed in the database.

Periods are local dates, both ends inclusive. Two groups: the minors in the station (one query on
stays) and the registry and activities (one query on registered children, one on activities, one
on assessments).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_noop

from cases.models import Stay
from rescue_station.formatting import percent
from rescue_station.models import Station
from rescue_station.registry import Kind, Spec, register_station_group

from .models import (
    Activity,
    ActivityKind,
    Child,
    CounsellingSession,
    FollowUp,
    GuardianshipAssessment,
    Intervention,
    Visit,
)

Value = Decimal | int | None

IN_STATION = {
    "minors.minors_in_station": Spec(
        "站内未成年人救助人次",
        "人次",
        Kind.COUNT,
        gettext_noop(
            "Stays of the station admitted in the period whose person was under 18 at admission "
            "(Stay.is_minor), counted once per stay (人次)."
        ),
    ),
    "minors.counselling_rate": Spec(
        "站内未成年人心理疏导（干预）率",
        "%",
        Kind.RATE,
        gettext_noop(
            "Of the minors' stays admitted in the period (minors.minors_in_station), the share whose "
            "minor case has at least one counselling session (by a social worker, counsellor, lawyer "
            "or volunteer, on any date), in percent. Empty when no minor was admitted."
        ),
    ),
}


@register_station_group("minors.in_station", IN_STATION)
def in_station(stations: Sequence[Station], start: date, end: date) -> dict[int, dict[str, Value]]:
    counselled = CounsellingSession.objects.filter(case__stay=OuterRef("pk"))
    rows = (
        Stay.objects.filter(is_minor=True, admitted_on__range=(start, end))
        .annotate(has_counselling=Exists(counselled))
        .aggregate_by_station(
            stations, total=Count("pk"), counselled=Count("pk", filter=Q(has_counselling=True))
        )
    )
    return {
        pk: {
            "minors.minors_in_station": row.get("total") or 0,
            "minors.counselling_rate": percent(row.get("counselled") or 0, row.get("total") or 0),
        }
        for pk, row in rows.items()
    }


REGISTRY = {
    "minors.children_visited": Spec(
        "走访慰问困境未成年人数",
        "人",
        Kind.COUNT,
        gettext_noop("Distinct registered children with at least one visit dated in the period."),
    ),
    "minors.children_long_term_followup": Spec(
        "长期跟进儿童人数",
        "人",
        Kind.COUNT,
        gettext_noop(
            "Distinct registered children with a follow-up assignment running during the period "
            "(started on or before its end, not ended before its start)."
        ),
    ),
    "minors.guardianship_assessments": Spec(
        "家庭监护评估与指导次数",
        "次",
        Kind.COUNT,
        gettext_noop(
            "Guardianship assessments (with guidance for the family) dated in the period."
        ),
    ),
    "minors.intervention_rate": Spec(
        "申报困境未成年人个案干预服务率",
        "%",
        Kind.RATE,
        gettext_noop(
            "Of the registered children reported in difficulty in the period (reported date in the "
            "period), the share with at least one case intervention started on or before the period's "
            "end, in percent. Empty when no child was reported."
        ),
    ),
    "minors.classes": Spec(
        "公益课堂节次",
        "节次",
        Kind.COUNT,
        gettext_noop(
            "Sessions of the classes in schools held in the period (sum of the sessions of "
            "activities of the type 'class in a school')."
        ),
    ),
    "minors.class_students": Spec(
        "公益课堂覆盖学生人次",
        "人次",
        Kind.COUNT,
        gettext_noop(
            "Participants of the classes in schools held in the period (sum of their participant "
            "counts)."
        ),
    ),
    "minors.care_activities": Spec(
        "留守、困境儿童关爱保护活动场次",
        "场次",
        Kind.COUNT,
        gettext_noop(
            "Sessions of the activities other than classes in schools (theme activities, art "
            "classes, camps, group work, volunteer work) held in the period."
        ),
    ),
    "minors.children_cared_for": Spec(
        "留守、困境儿童关爱保护人数",
        "人",
        Kind.COUNT,
        gettext_noop(
            "Distinct registered children served in the period (visited, followed up, assessed, "
            "under an intervention, or named as a participant of an activity of the period) plus "
            "the participants of the period's activities (classes included) who are not linked to "
            "a registered child (each activity's participant count minus its named children)."
        ),
    ),
}


def _children_rows(stations: Sequence[Station], start: date, end: date) -> dict[int, dict]:
    period = (start, end)
    # A visit only planned has no date done and does not count (the status says it twice).
    visited = Visit.objects.done().filter(child=OuterRef("pk"), visited_on__range=period)
    followed = FollowUp.objects.filter(child=OuterRef("pk"), started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    assessed = GuardianshipAssessment.objects.filter(
        child=OuterRef("pk"), assessed_on__range=period
    )
    intervened = Intervention.objects.filter(child=OuterRef("pk"), started_on__lte=end)
    intervening = intervened.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    in_activity = Activity.children.through.objects.filter(
        child=OuterRef("pk"), activity__held_on__range=period
    )
    reported = Q(reported_on__range=period)
    served = (
        Q(has_visited=True)
        | Q(has_followed=True)
        | Q(has_assessed=True)
        | Q(has_intervening=True)
        | Q(has_in_activity=True)
    )
    return Child.objects.annotate(
        has_visited=Exists(visited),
        has_followed=Exists(followed),
        has_assessed=Exists(assessed),
        has_intervened=Exists(intervened),
        has_intervening=Exists(intervening),
        has_in_activity=Exists(in_activity),
    ).aggregate_by_station(
        stations,
        visited=Count("pk", filter=Q(has_visited=True)),
        followed=Count("pk", filter=Q(has_followed=True)),
        served=Count("pk", filter=served),
        reported=Count("pk", filter=reported),
        reported_intervened=Count("pk", filter=reported & Q(has_intervened=True)),
    )


def _activities_rows(stations: Sequence[Station], start: date, end: date) -> dict[int, dict]:
    named = (
        Activity.children.through.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    is_class = Q(kind=ActivityKind.CLASS)
    rows = (
        Activity.objects.filter(held_on__range=(start, end))
        .annotate(named=Coalesce(Subquery(named, output_field=IntegerField()), 0))
        .aggregate_by_station(
            stations,
            classes=Sum("sessions", filter=is_class),
            class_students=Sum("participants", filter=is_class),
            care=Sum("sessions", filter=~is_class),
            unlinked=Sum(F("participants") - F("named")),
        )
    )
    return {
        pk: {k: row.get(k) or 0 for k in ("classes", "class_students", "care", "unlinked")}
        for pk, row in rows.items()
    }


@register_station_group("minors.registry", REGISTRY)
def registry_and_activities(
    stations: Sequence[Station], start: date, end: date
) -> dict[int, dict[str, Value]]:
    children = _children_rows(stations, start, end)
    activities = _activities_rows(stations, start, end)
    assessments = GuardianshipAssessment.objects.filter(
        assessed_on__range=(start, end)
    ).aggregate_by_station(stations, n=Count("pk"))
    result = {}
    for station in stations:
        child = {k: v or 0 for k, v in children[station.pk].items()}
        activity = activities[station.pk]
        count = child.get
        result[station.pk] = {
            "minors.children_visited": count("visited", 0),
            "minors.children_long_term_followup": count("followed", 0),
            "minors.guardianship_assessments": assessments[station.pk].get("n") or 0,
            "minors.intervention_rate": percent(
                count("reported_intervened", 0), count("reported", 0)
            ),
            "minors.classes": activity["classes"],
            "minors.class_students": activity["class_students"],
            "minors.care_activities": activity["care"],
            "minors.children_cared_for": count("served", 0) + activity["unlinked"],
        }
    return result
