"""The cases app's metrics: one query per table, each metric defined in its Spec's doc.

Each group computes many stations in its one query, grouped by station (see the registry).

A period is [start, end], both local dates (Asia/Shanghai) inclusive. Rates are percent with 2
places (``rescue_station.formatting.percent``), None when the denominator is 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.db.models.lookups import Exact, GreaterThan
from django.utils import timezone

from rescue_station import selectors
from rescue_station.formatting import percent
from rescue_station.models import Station
from rescue_station.registry import Kind, Spec, register_station_group

from .models import (
    NEEDS_TREATMENT,
    Campaign,
    ExitType,
    GatheringArea,
    LongStay,
    MedicalReferral,
    SafetyCheck,
    SafetyIncident,
    Satisfaction,
    Stay,
    StreetPatrol,
    Ticket,
    TicketChannel,
    TracingEffort,
    TracingResult,
)

Values = dict[str, Decimal | int | None]

ZERO_DAYS = Value(timedelta(0), output_field=DurationField())
ONE_DAY = Value(timedelta(days=1), output_field=DurationField())


def person_days_expression(start: date, end: date, today: date) -> Case:
    """Nights of one stay inside [start, end] (DESIGN.md's rule), as a duration in SQL.

    With a = admission date and d = departure date (today for a stay still open): a same-day stay
    (d = a) counts 1 day when start <= a <= end; any other stay counts
    max(0, min(d, end + 1) - max(a, start)). Django's temporal subtraction of two dates works on
    SQLite and PostgreSQL alike; the sum of these durations is a whole number of days.
    """
    departed = Coalesce(F("left_on"), Value(today, output_field=DateField()))
    upper = Least(departed, Value(end + timedelta(days=1), output_field=DateField()))
    lower = Greatest(F("admitted_on"), Value(start, output_field=DateField()))
    nights = ExpressionWrapper(upper - lower, output_field=DurationField())
    same_day = Exact(departed, F("admitted_on"))
    return Case(
        When(Q(same_day, admitted_on__gte=start, admitted_on__lte=end), then=ONE_DAY),
        When(same_day, then=ZERO_DAYS),
        When(GreaterThan(upper, lower), then=nights),
        default=ZERO_DAYS,
        output_field=DurationField(),
    )


def _days(value: timedelta | None) -> int:
    return value.days if value else 0


def _counts(rows: dict[int, dict[str, Any]], **keys: str) -> dict[int, Values]:
    """{station id: {metric key: count}} from grouped rows (``keys``: metric key -> row name);
    a station without records counts 0."""
    return {pk: {key: row.get(name) or 0 for key, name in keys.items()} for pk, row in rows.items()}


STAYS = {
    "cases.intakes": Spec(
        "救助人次",
        "人次",
        Kind.COUNT,
        "Stays admitted in the period: admission date (admitted_on, local) between start and end. "
        "A request that ended in help refused (不予救助, departure type 'help_refused') is not an "
        "intake: it is left out of this and of every other figure of this group (person-days, "
        "departures, the rates' numerators and denominators).",
    ),
    "cases.person_days": Spec(
        "救助人天次",
        "人天次",
        Kind.COUNT,
        "Nights in the station inside the period, summed over stays (DESIGN.md): with admission "
        "date a and departure date d (today for a stay still open), a same-day stay counts 1 when "
        "start <= a <= end; any other stay counts max(0, min(d, end + 1) - max(a, start)). "
        "Adjacent periods add up to the whole. A person placed in care has left the station.",
    ),
    "cases.family_pickups": Spec(
        "家属接领人次",
        "人次",
        Kind.COUNT,
        "Stays that ended in the period (departure date left_on) with departure type "
        "'picked up by family'.",
    ),
    "cases.escorted_home": Spec(
        "护送返乡人次",
        "人次",
        Kind.COUNT,
        "Stays that ended in the period (departure date left_on) with departure type "
        "'escorted home'.",
    ),
    "cases.temperature_check_rate": Spec(
        "体温检测率",
        "%",
        Kind.RATE,
        "Stays admitted in the period with a temperature recorded, over the stays admitted in "
        "the period.",
    ),
    "cases.sick_treated_rate": Spec(
        "患病救治率",
        "%",
        Kind.RATE,
        "Stays admitted in the period whose health status at intake is ill or injured and that "
        "have at least one medical referral, over the stays admitted in the period that are ill "
        "or injured.",
    ),
    "cases.tracing_coverage_rate": Spec(
        "特殊人员寻亲覆盖率",
        "%",
        Kind.RATE,
        "Special stays (identity unknown or unable to communicate at intake) admitted in the "
        "period that have at least one tracing effort on record (of any date), over the special "
        "stays admitted in the period.",
    ),
    "cases.care_rate": Spec(
        "站内照料率",
        "%",
        Kind.RATE,
        "Stays admitted in the period with basic care recorded (meals, lodging and clothing all "
        "ticked), over the stays admitted in the period.",
    ),
    "cases.satisfaction_rate": Spec(
        "受助人员满意度",
        "%",
        Kind.RATE,
        "Stays that ended in the period (departure date left_on, minors included) whose answer "
        "at departure is 'satisfied', over those that ended in the period with an answer "
        "(satisfied, neutral or dissatisfied; 'no answer' and blank are left out).",
    ),
}


@register_station_group("cases.stays", STAYS)
def stay_metrics(stations: Sequence[Station], start: date, end: date) -> dict[int, Values]:
    today = selectors.local_today()
    admitted = Q(admitted_on__gte=start, admitted_on__lte=end)
    left = Q(left_on__gte=start, left_on__lte=end)
    answered = Q(
        satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.NEUTRAL, Satisfaction.DISSATISFIED]
    )
    sick = Q(health_status__in=NEEDS_TREATMENT)
    referred = Exists(MedicalReferral.objects.filter(stay=OuterRef("pk")))
    traced = Exists(TracingEffort.objects.filter(stay=OuterRef("pk")))
    cared = Q(care_food=True, care_lodging=True, care_clothing=True)
    rows = (
        Stay.objects
        # A refused request was never taken in: not an intake, no person-days, no departure.
        .exclude(exit_type=ExitType.HELP_REFUSED)
        # Every stay that can touch the period: admitted before its end, not gone before its start.
        .filter(admitted_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .annotate(referred=referred, traced=traced)
        .aggregate_by_station(
            stations,
            intakes=Count("pk", filter=admitted),
            person_days=Sum(person_days_expression(start, end, today)),
            family=Count("pk", filter=left & Q(exit_type=ExitType.FAMILY_PICKUP)),
            escorted=Count("pk", filter=left & Q(exit_type=ExitType.ESCORTED_HOME)),
            temperature=Count("pk", filter=admitted & Q(temperature__isnull=False)),
            sick=Count("pk", filter=admitted & sick),
            sick_treated=Count("pk", filter=admitted & sick & Q(referred=True)),
            special=Count("pk", filter=admitted & Q(is_special=True)),
            special_traced=Count("pk", filter=admitted & Q(is_special=True, traced=True)),
            cared=Count("pk", filter=admitted & cared),
            answered=Count("pk", filter=left & answered),
            satisfied=Count("pk", filter=left & Q(satisfaction=Satisfaction.SATISFIED)),
        )
    )
    return {pk: _stay_values(row) for pk, row in rows.items()}


def _stay_values(row: dict[str, Any]) -> Values:
    def count(key: str) -> int:
        return row.get(key) or 0  # a station without stays has an empty row

    return {
        "cases.intakes": count("intakes"),
        "cases.person_days": _days(row.get("person_days")),
        "cases.family_pickups": count("family"),
        "cases.escorted_home": count("escorted"),
        "cases.temperature_check_rate": percent(count("temperature"), count("intakes")),
        "cases.sick_treated_rate": percent(count("sick_treated"), count("sick")),
        "cases.tracing_coverage_rate": percent(count("special_traced"), count("special")),
        "cases.care_rate": percent(count("cared"), count("intakes")),
        "cases.satisfaction_rate": percent(count("satisfied"), count("answered")),
    }


@register_station_group(
    "cases.tracing",
    {
        "cases.tracing_successes": Spec(
            "寻亲成功人数",
            "人",
            Kind.COUNT,
            "Stays with a successful tracing effort (result 'family found') dated in the period; "
            "a stay counts once even with several successful efforts.",
        )
    },
)
def tracing_metrics(stations: Sequence[Station], start: date, end: date) -> dict[int, Values]:
    rows = TracingEffort.objects.filter(
        result=TracingResult.SUCCESS, done_on__gte=start, done_on__lte=end
    ).aggregate_by_station(stations, n=Count("stay", distinct=True))
    return _counts(rows, **{"cases.tracing_successes": "n"})


@register_station_group(
    "cases.long_stays",
    {
        "cases.hukou_registrations": Spec(
            "滞留人员落户人数",
            "人",
            Kind.COUNT,
            "Long-stay records whose hukou registration date falls in the period.",
        ),
        "cases.special_hardship_enrolled": Spec(
            "纳入特困供养人数",
            "人",
            Kind.COUNT,
            "Long-stay records whose special-hardship enrolment date falls in the period.",
        ),
    },
)
def long_stay_metrics(stations: Sequence[Station], start: date, end: date) -> dict[int, Values]:
    rows = LongStay.objects.aggregate_by_station(
        stations,
        hukou=Count("pk", filter=Q(hukou_registered_on__gte=start, hukou_registered_on__lte=end)),
        hardship=Count(
            "pk",
            filter=Q(
                special_hardship_enrolled_on__gte=start, special_hardship_enrolled_on__lte=end
            ),
        ),
    )
    return _counts(
        rows,
        **{"cases.hukou_registrations": "hukou", "cases.special_hardship_enrolled": "hardship"},
    )


@register_station_group(
    "cases.patrols",
    {
        "cases.street_patrols": Spec(
            "街面巡查次数", "次", Kind.COUNT, "Street patrols dated in the period."
        ),
        "cases.street_persons_assisted": Spec(
            "街面救助人次",
            "人次",
            Kind.COUNT,
            "Over the street patrols dated in the period: persons helped in place plus persons "
            "brought in to the station.",
        ),
    },
)
def patrol_metrics(stations: Sequence[Station], start: date, end: date) -> dict[int, Values]:
    rows = StreetPatrol.objects.filter(
        patrol_date__gte=start, patrol_date__lte=end
    ).aggregate_by_station(
        stations,
        patrols=Count("pk"),
        assisted=Coalesce(Sum(F("helped_in_place") + F("brought_in")), 0),
    )
    return _counts(
        rows, **{"cases.street_patrols": "patrols", "cases.street_persons_assisted": "assisted"}
    )


@register_station_group(
    "cases.areas",
    {
        "cases.campaign_area_coverage_rate": Spec(
            "专项救助行动覆盖率",
            "%",
            Kind.RATE,
            "Designated gathering areas (active) visited by at least one campaign patrol "
            "(寒冬送温暖 or 夏季送清凉) dated in the period, over the designated gathering areas.",
        )
    },
)
def area_metrics(stations: Sequence[Station], start: date, end: date) -> dict[int, Values]:
    visited = StreetPatrol.objects.filter(
        areas_covered=OuterRef("pk"),
        campaign__in=[Campaign.WINTER, Campaign.SUMMER],
        patrol_date__gte=start,
        patrol_date__lte=end,
    )
    rows = (
        GatheringArea.objects.filter(active=True)
        .annotate(visited=Exists(visited))
        .aggregate_by_station(
            stations, areas=Count("pk"), covered=Count("pk", filter=Q(visited=True))
        )
    )
    return {
        pk: {
            "cases.campaign_area_coverage_rate": percent(
                row.get("covered") or 0, row.get("areas") or 0
            )
        }
        for pk, row in rows.items()
    }


@register_station_group(
    "cases.tickets",
    {
        "cases.hotline_tickets": Spec(
            "市长热线工单数",
            "件",
            Kind.COUNT,
            "Mayor's-hotline tickets received in the period (received_on, local date).",
        ),
        "cases.platform_dispatches": Spec(
            "城管数字平台派单数",
            "件",
            Kind.COUNT,
            "Urban-management platform dispatches received in the period (received_on).",
        ),
        "cases.ticket_timely_rate": Spec(
            "工单按时办结率",
            "%",
            Kind.RATE,
            "Tickets of both channels received in the period and handled by their deadline, over "
            "the tickets received in the period that are handled or whose deadline has passed "
            "(an open ticket not yet due is left out).",
        ),
    },
)
def ticket_metrics(stations: Sequence[Station], start: date, end: date) -> dict[int, Values]:
    now = timezone.now()
    rows = Ticket.objects.filter(received_on__gte=start, received_on__lte=end).aggregate_by_station(
        stations,
        hotline=Count("pk", filter=Q(channel=TicketChannel.HOTLINE)),
        platform=Count("pk", filter=Q(channel=TicketChannel.PLATFORM)),
        due=Count("pk", filter=Q(handled_at__isnull=False) | Q(deadline__lt=now)),
        timely=Count("pk", filter=Q(handled_at__lte=F("deadline"))),
    )
    return {
        pk: {
            "cases.hotline_tickets": row.get("hotline") or 0,
            "cases.platform_dispatches": row.get("platform") or 0,
            "cases.ticket_timely_rate": percent(row.get("timely") or 0, row.get("due") or 0),
        }
        for pk, row in rows.items()
    }


@register_station_group(
    "cases.safety_checks",
    {
        "cases.safety_hazards_fixed": Spec(
            "安全隐患整改数",
            "处",
            Kind.COUNT,
            "Safety checks whose hazard was fixed in the period (fixed_on between start and end).",
        )
    },
)
def safety_check_metrics(stations: Sequence[Station], start: date, end: date) -> dict[int, Values]:
    rows = SafetyCheck.objects.filter(
        hazard_found=True, fixed_on__gte=start, fixed_on__lte=end
    ).aggregate_by_station(stations, n=Count("pk"))
    return _counts(rows, **{"cases.safety_hazards_fixed": "n"})


@register_station_group(
    "cases.safety_incidents",
    {
        "cases.safety_incidents": Spec(
            "安全责任事故数",
            "起",
            Kind.COUNT,
            "Safety incidents that occurred in the period (occurred_on between start and end).",
        )
    },
)
def safety_incident_metrics(
    stations: Sequence[Station], start: date, end: date
) -> dict[int, Values]:
    rows = SafetyIncident.objects.filter(
        occurred_on__gte=start, occurred_on__lte=end
    ).aggregate_by_station(stations, n=Count("pk"))
    return _counts(rows, **{"cases.safety_incidents": "n"})
