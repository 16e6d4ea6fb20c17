"""Each minors metric on small hand-made data."""

from datetime import date
from decimal import Decimal

import pytest

from minors.models import Activity
from minors.services import (
    activity_record,
    assessment_record,
    counselling_record,
    followup_assign,
    intervention_record,
    minor_case_open_for_stay,
    visit_record,
)
from rescue_station import registry
from tests.factories import StayFactory

Y24 = (date(2024, 1, 1), date(2024, 12, 31))


def metric(key, station, period=Y24):
    return registry.compute(key, station, *period)


@pytest.fixture
def worker(users):
    return users["minors_worker"]


def test_it_counts_the_minors_stays_admitted_in_the_period(station, other_station):
    StayFactory(station=station, admitted_on=date(2024, 1, 1), is_minor=True)
    StayFactory(station=station, admitted_on=date(2024, 12, 31), is_minor=True)
    StayFactory(station=station, admitted_on=date(2023, 12, 31), is_minor=True)  # before the period
    StayFactory(station=station, admitted_on=date(2024, 6, 1), is_minor=False)  # an adult
    StayFactory(station=other_station, admitted_on=date(2024, 6, 1), is_minor=True)
    assert metric("minors.minors_in_station", station) == 2


def test_it_rates_the_minors_with_at_least_one_counselling_session(station, worker):
    cases = [
        minor_case_open_for_stay(
            stay=StayFactory(station=station, admitted_on=date(2024, 3, i), is_minor=True),
            acting_user=worker,
        )
        for i in (1, 2, 3)
    ]
    assert metric("minors.counselling_rate", station) == Decimal("0.00")
    for held_on in (date(2024, 3, 1), date(2024, 3, 2)):  # two sessions, one minor
        counselling_record(
            case=cases[0], held_on=held_on, provider_role="counsellor", acting_user=worker
        )
    counselling_record(
        case=cases[1], held_on=date(2024, 3, 2), provider_role="lawyer", acting_user=worker
    )
    assert metric("minors.counselling_rate", station) == Decimal("66.67")


def test_the_counselling_rate_is_empty_without_minors(station):
    assert metric("minors.counselling_rate", station) is None


def test_it_counts_distinct_children_visited_in_the_period(station, make_child, worker):
    a, b, c = (make_child(station) for _ in range(3))
    for child, day in [(a, date(2024, 1, 25)), (a, date(2024, 6, 1)), (b, date(2024, 12, 31))]:
        visit_record(child=child, visited_on=day, acting_user=worker)
    visit_record(child=c, visited_on=date(2025, 1, 1), acting_user=worker)
    assert metric("minors.children_visited", station) == 2


def test_it_counts_children_followed_up_during_the_period(station, make_child, worker):
    kids = [make_child(station) for _ in range(4)]
    followup_assign(child=kids[0], worker=worker, started_on=date(2023, 6, 1), acting_user=worker)
    followup_assign(
        child=kids[1],
        worker=worker,
        started_on=date(2023, 6, 1),
        ended_on=date(2023, 12, 31),  # ended before the period
        acting_user=worker,
    )
    followup_assign(child=kids[2], worker=worker, started_on=date(2025, 1, 1), acting_user=worker)
    for start in (date(2024, 2, 1), date(2024, 8, 1)):  # two assignments, one child
        followup_assign(child=kids[3], worker=worker, started_on=start, acting_user=worker)
    assert metric("minors.children_long_term_followup", station) == 2


def test_it_counts_guardianship_assessments_not_children(station, make_child, worker):
    child = make_child(station)
    for day in (date(2024, 3, 1), date(2024, 9, 1), date(2025, 1, 2)):
        assessment_record(child=child, assessed_on=day, result="needs_support", acting_user=worker)
    assert metric("minors.guardianship_assessments", station) == 2


def test_it_rates_reported_children_with_an_intervention(station, make_child, worker):
    reported = [make_child(station, reported_on=date(2024, 4, 1)) for _ in range(3)]
    make_child(station, reported_on=date(2023, 4, 1))  # reported in another period
    make_child(station)  # never reported
    intervention_record(
        child=reported[0], started_on=date(2024, 4, 3), plan="计划", acting_user=worker
    )
    intervention_record(
        child=reported[1], started_on=date(2025, 1, 3), plan="计划", acting_user=worker
    )  # after the period
    assert metric("minors.intervention_rate", station) == Decimal("33.33")


def test_the_intervention_rate_is_empty_when_no_child_was_reported(station):
    assert metric("minors.intervention_rate", station) is None


def test_it_sums_class_sessions_and_students_and_care_activity_sessions(station, worker):
    for kind, sessions, participants, day in [
        ("class", 1, 40, date(2024, 3, 1)),
        ("class", 2, 60, date(2024, 4, 1)),
        ("class", 1, 99, date(2025, 4, 1)),
        ("camp", 3, 20, date(2024, 7, 10)),
        ("art", 1, 12, date(2024, 5, 1)),
    ]:
        activity_record(
            station=station,
            kind=kind,
            title="t",
            held_on=day,
            sessions=sessions,
            participants=participants,
            acting_user=worker,
        )
    assert metric("minors.classes", station) == 3
    assert metric("minors.class_students", station) == 100
    assert metric("minors.care_activities", station) == 4


def test_it_counts_children_cared_for_once_plus_unnamed_participants(station, make_child, worker):
    a, b, c, d = (make_child(station) for _ in range(4))
    visit_record(child=a, visited_on=date(2024, 1, 25), acting_user=worker)
    followup_assign(child=a, worker=worker, started_on=date(2024, 2, 1), acting_user=worker)
    assessment_record(child=b, assessed_on=date(2024, 5, 1), result="adequate", acting_user=worker)
    intervention_record(child=c, started_on=date(2023, 5, 1), plan="p", acting_user=worker)
    visit_record(child=d, visited_on=date(2023, 5, 1), acting_user=worker)  # not served in 2024
    activity_record(
        station=station,
        kind="camp",
        title="夏令营",
        held_on=date(2024, 7, 20),
        participants=10,
        children=[a, d],  # d is served by the camp; a is counted once
        acting_user=worker,
    )
    activity_record(
        station=station,
        kind="class",
        title="课",
        held_on=date(2024, 3, 1),
        participants=30,
        acting_user=worker,
    )
    # a, b, c (intervention still open), d + (10 − 2) + 30 unnamed participants
    assert metric("minors.children_cared_for", station) == 4 + 8 + 30


def test_a_closed_intervention_no_longer_serves_the_child(station, make_child, worker):
    child = make_child(station)
    intervention_record(
        child=child,
        started_on=date(2023, 5, 1),
        closed_on=date(2023, 12, 1),
        plan="p",
        acting_user=worker,
    )
    assert metric("minors.children_cared_for", station) == 0


def test_every_minors_metric_is_registered_with_a_definition():
    keys = {m.key for m in registry.all_metrics() if m.key.startswith("minors.")}
    assert keys == {
        "minors.minors_in_station",
        "minors.children_visited",
        "minors.children_long_term_followup",
        "minors.children_cared_for",
        "minors.care_activities",
        "minors.classes",
        "minors.class_students",
        "minors.guardianship_assessments",
        "minors.intervention_rate",
        "minors.counselling_rate",
    }
    assert all(registry.get(k).doc for k in keys)
    assert Activity._meta.get_field("participants")
