from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Person
from cases.services import is_minor_on
from cases.signals import stay_registered
from minors.models import MinorCase, MinorsPolicy
from minors.selectors import cases_missing_report
from minors.services import (
    activity_record,
    child_register,
    mandatory_report_record,
    minor_case_open,
    minor_case_open_for_stay,
    visit_record,
)
from tests.factories import StayFactory, at

ADMITTED = date(2024, 6, 15)


def _registered(station, birth_date, user):
    """What the cases service does: compute is_minor, save the stay, send the event."""
    stay = StayFactory(station=station, admitted_on=ADMITTED, person__birth_date=birth_date)
    stay_registered.send(sender=type(stay), stay=stay, acting_user=user)
    return stay


def test_a_minor_admitted_at_17_years_364_days_opens_a_case(station, users):
    birth = date(2006, 6, 16)  # 18 tomorrow
    stay = _registered(station, birth, users["station_staff"])
    assert stay.is_minor
    case = MinorCase.objects.get(stay=stay)
    assert case.station == station and case.opened_on == ADMITTED


def test_a_person_admitted_on_the_18th_birthday_opens_no_case(station, users):
    birth = date(2006, 6, 15)
    stay = _registered(station, birth, users["station_staff"])
    assert not stay.is_minor
    assert not MinorCase.objects.filter(stay=stay).exists()


def test_the_age_rule_takes_29_february_birthdays_to_1_march():
    leap_born = Person(birth_date=date(2004, 2, 29))
    assert is_minor_on(leap_born, date(2022, 2, 28))
    assert not is_minor_on(leap_born, date(2022, 3, 1))


def test_the_event_sent_twice_opens_one_case(station, users):
    stay = _registered(station, date(2010, 1, 1), users["station_staff"])
    stay_registered.send(sender=type(stay), stay=stay, acting_user=users["station_staff"])
    assert MinorCase.objects.filter(stay=stay).count() == 1


def test_the_case_records_who_registered_the_stay(station, users):
    stay = _registered(station, date(2010, 1, 1), users["station_staff"])
    assert stay.minor_case.history.first().history_user == users["station_staff"]


def test_a_case_needs_a_stay_or_a_child(station, users):
    with pytest.raises(ValidationError):
        minor_case_open(station=station, reason="other", acting_user=users["minors_worker"])


def test_a_case_cannot_take_a_stay_of_another_station(station, other_station, users):
    stay = StayFactory(station=other_station, admitted_on=ADMITTED, is_minor=True)
    with pytest.raises(ValueError):
        minor_case_open(station=station, stay=stay, reason="other", acting_user=users["admin"])


def test_a_disclosed_harm_without_report_is_flagged_after_24_hours(minor_case, users):
    disclosed = timezone.now() - timedelta(hours=23)
    minor_case.harm_disclosed_at = disclosed
    minor_case.save()
    cases = MinorCase.objects.all()
    assert not cases_missing_report(cases, now=timezone.now()).exists()
    assert list(cases_missing_report(cases, now=disclosed + timedelta(hours=24))) == [minor_case]


def test_the_report_deadline_is_the_station_s_own(minor_case, station):
    MinorsPolicy.objects.create(station=station, report_deadline_hours=6)
    minor_case.harm_disclosed_at = timezone.now() - timedelta(hours=7)
    minor_case.save()
    assert cases_missing_report(MinorCase.objects.all(), now=timezone.now()).exists()


def test_a_report_clears_the_flag_and_dates_the_disclosure(minor_case, users):
    reported_at = timezone.now() - timedelta(days=3)
    mandatory_report_record(
        case=minor_case,
        suspicion="家庭暴力",
        reported_at=reported_at,
        recipient="police",
        acting_user=users["minors_worker"],
    )
    minor_case.refresh_from_db()
    assert minor_case.harm_disclosed_at == reported_at
    assert not cases_missing_report(MinorCase.objects.all(), now=timezone.now()).exists()


def test_a_visit_moves_the_next_visit_due_date_by_the_risk_level(station, users):
    worker = users["minors_worker"]
    child = child_register(
        station=station,
        name="小林",
        category="in_difficulty",
        risk_level="high",
        registered_on=date(2024, 1, 1),
        acting_user=worker,
    )
    assert child.next_visit_due == date(2024, 1, 31)
    visit_record(child=child, visited_on=date(2024, 3, 1), acting_user=worker)
    child.refresh_from_db()
    assert child.next_visit_due == date(2024, 3, 31)


def test_an_activity_names_only_children_of_its_station(station, other_station, make_child, users):
    outsider = make_child(other_station)
    with pytest.raises(ValueError):
        activity_record(
            station=station,
            kind="camp",
            title="夏令营",
            held_on=date(2024, 7, 1),
            participants=5,
            children=[outsider],
            acting_user=users["minors_worker"],
        )


def test_a_case_opened_at_admission_time_uses_the_local_date(station, users):
    stay = StayFactory(station=station, admitted_on=date(2024, 1, 1), is_minor=True)
    stay.admitted_at = at(date(2024, 1, 1), 0)  # midnight in Shanghai is the previous day in UTC
    stay.save()
    case = minor_case_open_for_stay(stay=stay, acting_user=None)
    assert case.opened_on == date(2024, 1, 1)


def test_the_case_timeline_orders_opening_disclosure_counselling_report_and_interventions(
    child_case, users
):
    from minors.selectors import case_timeline
    from minors.services import counselling_record, intervention_record

    worker = users["minors_worker"]
    # Opened three days ago, so that what followed it has happened by now.
    child_case.opened_at -= timedelta(days=3)
    child_case.opened_on = timezone.localdate(child_case.opened_at)
    child_case.save()
    opened = timezone.localdate(child_case.opened_at)
    counselling_record(
        case=child_case, held_on=opened, provider_role="counsellor", acting_user=worker
    )
    mandatory_report_record(
        case=child_case,
        suspicion="s",
        reported_at=child_case.opened_at + timedelta(days=1),
        recipient="police",
        acting_user=worker,
    )
    intervention_record(
        child=child_case.child, started_on=opened + timedelta(days=2), plan="p", acting_user=worker
    )
    kinds = [e.kind for e in case_timeline(child_case)]
    assert kinds == ["opened", "counselling", "disclosed", "report", "intervention"]
