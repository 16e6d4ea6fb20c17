"""List pages keep a fixed number of queries whatever the number of rows (no N+1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from minors.models import Activity, MandatoryReport
from minors.services import minor_case_open_for_stay
from tests.factories import StayFactory, at

pytestmark = pytest.mark.django_db


def _cases(station, n: int) -> None:
    from rescue_station.models import User

    worker = User.objects.get(username="minors_worker")
    for i in range(n):
        stay = StayFactory(station=station, admitted_on=date(2024, 3, 1), is_minor=True)
        case = minor_case_open_for_stay(stay=stay, acting_user=worker)
        case.harm_disclosed_at = at(date(2024, 3, 1), 9)
        case.save()
        MandatoryReport.objects.create(
            case=case,
            reported_at=at(date(2024, 3, 2), 10),
            recipient="police",
            suspicion="疑似",
            recipient_unit=f"派出所{i}",
        )


def _children(station, make_child, n: int) -> None:
    for _i in range(n):
        make_child(station)


def _activities(station, n: int) -> None:
    for i in range(n):
        Activity.objects.create(
            station=station,
            title=f"活动{i}",
            kind="class",
            held_on=date(2024, 5, 1),
            participants=3,
        )


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["minors:cases", "minors:reports"])
def test_it_lists_cases_and_reports_in_a_fixed_number_of_queries(
    name, station, client_for, django_assert_max_num_queries
):
    client = client_for("minors_worker")
    url = reverse(name)
    _cases(station, 3)
    few = _queries(client, url)
    _cases(station, 27)
    with django_assert_max_num_queries(few):
        client.get(url)


def test_it_lists_the_registry_in_a_fixed_number_of_queries(
    station, client_for, make_child, django_assert_max_num_queries
):
    client = client_for("minors_worker")
    url = reverse("minors:children")
    _children(station, make_child, 3)
    few = _queries(client, url)
    _children(station, make_child, 27)
    with django_assert_max_num_queries(few):
        client.get(url)


@pytest.mark.parametrize("query", ["minors:activity_list", "minors:activities"])
def test_it_lists_activities_in_a_fixed_number_of_queries(
    query, station, client_for, django_assert_max_num_queries
):
    client = client_for("minors_worker")
    url = reverse(query)
    if query == "minors:activities":
        url += "?year=2024&month=5"
    _activities(station, 3)
    few = _queries(client, url)
    _activities(station, 27)
    with django_assert_max_num_queries(few):
        client.get(url)


def _case_work(case, child, users, n: int) -> None:
    from minors.models import CounsellingSession, Intervention, Visit

    worker = users["minors_worker"]
    for i in range(n):
        CounsellingSession.objects.create(
            case=case, held_on=date(2024, 3, 2), provider_role="social_worker", recorded_by=worker
        )
        MandatoryReport.objects.create(
            case=case,
            reported_at=at(date(2024, 3, 2), 10),
            recipient="police",
            suspicion=f"疑似{i}",
            recorded_by=worker,
        )
        Visit.objects.create(
            child=child, visited_on=date(2024, 4, 1), occasion="routine", worker=worker
        )
        Intervention.objects.create(
            child=child, started_on=date(2024, 4, 1), worker=worker, plan="计划"
        )


@pytest.mark.parametrize("name", ["case_detail", "case_print", "child_detail"])
def test_it_shows_a_case_or_child_in_a_fixed_number_of_queries(
    name, child_case, users, client_for, django_assert_max_num_queries
):
    client = client_for("minors_worker")
    pk = child_case.child_id if name == "child_detail" else child_case.pk
    url = reverse(f"minors:{name}", args=[pk])
    _case_work(child_case, child_case.child, users, 2)
    few = _queries(client, url)
    _case_work(child_case, child_case.child, users, 20)
    with django_assert_max_num_queries(few):
        client.get(url)
