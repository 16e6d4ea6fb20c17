from datetime import date
from decimal import Decimal

import pytest

from demo import minors as demo
from minors.models import CounsellingSession, MandatoryReport, MinorCase
from minors.services import minor_case_open_for_stay
from rescue_station import registry
from tests.factories import StayFactory

# A copy of the minors.* figures under "metrics" in ../shared/seed/zhuzhou-2024.json.
SEED_2024 = {
    "minors.minors_in_station": 58,
    "minors.children_visited": 80,
    "minors.children_long_term_followup": 32,
    "minors.children_cared_for": 1912,
    "minors.care_activities": 26,
    "minors.classes": 36,
    "minors.class_students": 1760,
    "minors.guardianship_assessments": 16,
    "minors.intervention_rate": "100.00",
    "minors.counselling_rate": "100.00",
}
TODAY = date(2026, 11, 26)


@pytest.fixture(params=["stays only", "cases opened at registration"])
def demo_station(request, station, users):
    # The cases demo makes the 58 minors' stays of 2024; here they are made by hand. When the
    # cases demo registers them through its service, the event has already opened their cases.
    for i in range(58):
        stay = StayFactory(
            station=station, admitted_on=date(2024, 1 + i % 12, 1 + i % 27), is_minor=True
        )
        if request.param == "cases opened at registration":
            minor_case_open_for_stay(stay=stay, acting_user=users["station_staff"])
    StayFactory(station=station, admitted_on=date(2024, 5, 5), is_minor=False)
    demo.load(station=station, users=users, today=TODAY)
    return station


def test_it_reproduces_every_minors_figure_of_the_2024_seed(demo_station):
    values = registry.compute_many(SEED_2024, demo_station, date(2024, 1, 1), date(2024, 12, 31))
    got = {k: registry.format_value(registry.get(k), v) for k, v in values.items()}
    assert got == {k: str(Decimal(str(v))) for k, v in SEED_2024.items()}


def test_it_opens_a_case_with_counselling_for_every_minor_stay(demo_station):
    assert MinorCase.objects.filter(station=demo_station).count() == 58
    assert CounsellingSession.objects.filter(case__station=demo_station).count() == 58
    assert MandatoryReport.objects.filter(case__station=demo_station).count() == 1


def test_it_fills_2025_and_2026_so_far(demo_station):
    for start, end in [(date(2025, 1, 1), date(2025, 12, 31)), (date(2026, 1, 1), TODAY)]:
        values = registry.compute_many(
            ["minors.children_visited", "minors.classes", "minors.care_activities"],
            demo_station,
            start,
            end,
        )
        assert all(v > 0 for v in values.values())


def test_loading_twice_creates_nothing_twice(demo_station, users):
    before = MinorCase.objects.count(), CounsellingSession.objects.count()
    demo.load(station=demo_station, users=users, today=TODAY)
    assert (MinorCase.objects.count(), CounsellingSession.objects.count()) == before


def test_reset_deletes_the_station_s_minors_records(demo_station):
    demo.reset(station=demo_station)
    assert not MinorCase.objects.filter(station=demo_station).exists()


def test_it_records_the_work_under_another_demo_user_when_the_worker_is_not_the_demo_s(
    station, users
):
    # load_demo leaves a real user named minors_worker alone: the users it passes lack the role.
    for i in range(3):
        StayFactory(station=station, admitted_on=date(2024, 3, 1 + i), is_minor=True)
    others = {role: user for role, user in users.items() if role != "minors_worker"}
    demo.load(station=station, users=others, today=TODAY)
    cases = MinorCase.objects.filter(station=station)
    assert cases.count() == 3
    assert {c.opened_by for c in cases} == {users["supervisor"]}
    assert not CounsellingSession.objects.filter(recorded_by=users["minors_worker"]).exists()
