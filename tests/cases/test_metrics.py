from datetime import date, datetime, timedelta
from decimal import Decimal

from cases.models import (
    GatheringArea,
    LongStay,
    MedicalReferral,
    Person,
    SafetyCheck,
    SafetyIncident,
    StreetPatrol,
    Ticket,
    TracingEffort,
)
from rescue_station import registry
from tests.factories import TZ

Y0, Y1 = date(2024, 1, 1), date(2024, 12, 31)


def m(station, key, start=Y0, end=Y1):
    return registry.compute(key, station, start, end)


def test_intakes_count_admissions_in_the_period(make_stay, station):
    make_stay(station, date(2023, 12, 31), date(2024, 1, 2))
    make_stay(station, date(2024, 1, 1), date(2024, 1, 1))
    make_stay(station, date(2024, 12, 31))
    assert m(station, "cases.intakes") == 2


def test_departures_count_by_type_and_departure_date(make_stay, station):
    make_stay(station, date(2023, 12, 30), date(2024, 1, 2), exit_type="family_pickup")
    make_stay(station, date(2024, 12, 30), date(2025, 1, 2), exit_type="family_pickup")
    make_stay(station, date(2024, 3, 1), date(2024, 3, 4), exit_type="escorted_home")
    make_stay(station, date(2024, 3, 1), date(2024, 3, 4), exit_type="left_by_choice")
    assert m(station, "cases.family_pickups") == 1
    assert m(station, "cases.escorted_home") == 1


def test_temperature_care_and_sick_rates_are_over_intakes(make_stay, station):
    a = make_stay(
        station,
        date(2024, 2, 1),
        date(2024, 2, 2),
        temperature=Decimal("36.5"),
        care_food=True,
        care_lodging=True,
        care_clothing=True,
        health_status="ill",
    )
    make_stay(station, date(2024, 2, 1), date(2024, 2, 2), health_status="injured", care_food=True)
    make_stay(station, date(2024, 2, 1), date(2024, 2, 2), temperature=Decimal("36.8"))
    make_stay(station, date(2024, 2, 1), date(2024, 2, 2), temperature=Decimal("37.0"))
    MedicalReferral.objects.create(stay=a, hospital="市第一医院", referred_on=date(2024, 2, 1))
    assert m(station, "cases.temperature_check_rate") == Decimal("75.00")
    assert m(station, "cases.care_rate") == Decimal("25.00")
    assert m(station, "cases.sick_treated_rate") == Decimal("50.00")


def test_rates_are_none_without_a_denominator(station):
    for key in (
        "cases.temperature_check_rate",
        "cases.sick_treated_rate",
        "cases.tracing_coverage_rate",
        "cases.satisfaction_rate",
        "cases.campaign_area_coverage_rate",
        "cases.ticket_timely_rate",
    ):
        assert m(station, key) is None, key


def test_tracing_coverage_and_successes(make_stay, station):
    a = make_stay(station, date(2024, 4, 1), date(2024, 4, 9), is_special=True)
    make_stay(station, date(2024, 4, 1), date(2024, 4, 9), is_special=True)
    make_stay(station, date(2024, 4, 1), date(2024, 4, 9))
    TracingEffort.objects.create(stay=a, method="dna", done_on=date(2024, 4, 2), result="pending")
    TracingEffort.objects.create(
        stay=a, method="face", done_on=date(2024, 4, 8), result="success", family_found="其子"
    )
    TracingEffort.objects.create(
        stay=a, method="news", done_on=date(2024, 4, 8), result="success", family_found="其子"
    )
    assert m(station, "cases.tracing_coverage_rate") == Decimal("50.00")
    assert m(station, "cases.tracing_successes") == 1
    assert m(station, "cases.tracing_successes", date(2024, 4, 9), Y1) == 0


def test_satisfaction_counts_answers_of_departures(make_stay, station):
    for answer in ["satisfied"] * 3 + ["dissatisfied", "no_answer", ""]:
        make_stay(station, date(2024, 5, 1), date(2024, 5, 2), satisfaction=answer)
    make_stay(station, date(2024, 5, 1), date(2025, 1, 2), satisfaction="dissatisfied")
    assert m(station, "cases.satisfaction_rate") == Decimal("75.00")


def test_long_stay_dates_put_records_in_the_period(station):
    p = Person.objects.create(station=station, name="无名氏")
    LongStay.objects.create(
        station=station,
        person=p,
        hukou_registered_on=date(2024, 3, 1),
        special_hardship_enrolled_on=date(2025, 1, 3),
    )
    LongStay.objects.create(station=station, person=p, hukou_registered_on=date(2023, 3, 1))
    assert m(station, "cases.hukou_registrations") == 1
    assert m(station, "cases.special_hardship_enrolled") == 0


def test_patrols_and_campaign_coverage(station, other_station):
    a = GatheringArea.objects.create(station=station, name="火车站广场")
    b = GatheringArea.objects.create(station=station, name="神农城")
    GatheringArea.objects.create(station=station, name="旧桥洞", active=False)
    p1 = StreetPatrol.objects.create(
        station=station,
        patrol_date=date(2024, 1, 10),
        area="火车站",
        campaign="winter",
        persons_met=6,
        helped_in_place=4,
        brought_in=1,
    )
    p1.areas_covered.set([a])
    p2 = StreetPatrol.objects.create(
        station=station,
        patrol_date=date(2024, 3, 10),
        area="神农城",
        campaign="routine",
        persons_met=2,
        helped_in_place=2,
    )
    p2.areas_covered.set([b])
    StreetPatrol.objects.create(
        station=other_station,
        patrol_date=date(2024, 3, 10),
        area="x",
        persons_met=9,
        helped_in_place=9,
    )
    assert m(station, "cases.street_patrols") == 2
    assert m(station, "cases.street_persons_assisted") == 7
    assert m(station, "cases.campaign_area_coverage_rate") == Decimal("50.00")


def test_tickets_by_channel_and_timely_rate(station):
    def ticket(channel, received, hours_to_deadline, handled_after=None):
        r = datetime.combine(received, datetime.min.time(), tzinfo=TZ) + timedelta(hours=9)
        Ticket.objects.create(
            station=station,
            channel=channel,
            received_at=r,
            received_on=received,
            deadline=r + timedelta(hours=hours_to_deadline),
            summary="x",
            handled_at=r + timedelta(hours=handled_after) if handled_after is not None else None,
            outcome="已处理",
        )

    ticket("hotline", date(2024, 2, 1), 24, 5)
    ticket("hotline", date(2024, 2, 1), 24, 30)  # late
    ticket("platform", date(2024, 2, 1), 24)  # overdue, open
    ticket("platform", date(2023, 12, 31), 24, 1)
    assert m(station, "cases.hotline_tickets") == 2
    assert m(station, "cases.platform_dispatches") == 1
    assert m(station, "cases.ticket_timely_rate") == Decimal("33.33")


def test_safety_hazards_fixed_and_incidents(station):
    SafetyCheck.objects.create(
        station=station,
        checked_on=date(2024, 1, 5),
        item="fire",
        hazard_found=True,
        hazard="灭火器过期",
        fixed_on=date(2024, 1, 6),
    )
    SafetyCheck.objects.create(
        station=station,
        checked_on=date(2024, 12, 30),
        item="power",
        hazard_found=True,
        hazard="线路老化",
        fixed_on=date(2025, 1, 2),
    )
    SafetyCheck.objects.create(station=station, checked_on=date(2024, 1, 5), item="gas")
    SafetyIncident.objects.create(
        station=station, occurred_on=date(2024, 7, 1), kind="摔伤", description="x"
    )
    assert m(station, "cases.safety_hazards_fixed") == 1
    assert m(station, "cases.safety_incidents") == 1


def test_every_cases_metric_is_registered_with_a_definition():
    keys = {mm.key for mm in registry.all_metrics() if mm.key.startswith("cases.")}
    assert len(keys) == 20
    assert all(registry.get(k).doc for k in keys)


def test_the_stay_metrics_share_one_query(make_stay, station, django_assert_num_queries):
    make_stay(station, date(2024, 2, 1), date(2024, 2, 3), temperature=Decimal("36.5"))
    stay_keys = [m.key for m in registry.all_metrics() if m.group == "cases.stays"]
    assert len(stay_keys) == 9
    with django_assert_num_queries(1):
        values = registry.compute_many(stay_keys, station, Y0, Y1)
    assert values["cases.intakes"] == 1 and values["cases.person_days"] == 2
