"""The stay list and the board keep a fixed number of queries whatever the number of stays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CareInstitution, LongStay, Person, Stay, StreetPatrol, Ticket
from tests.factories import at

pytestmark = pytest.mark.django_db


def _stays(station, n: int, *, present: bool = False) -> None:
    """``n`` stays of as many persons, one a day back from 2024-12-31 (bulk: hundreds of rows)."""
    persons = Person.objects.bulk_create(
        Person(station=station, name=f"王{i:03d}号", placeholder_no=f"无名氏-2024-{i:04d}")
        for i in range(Person.objects.count(), Person.objects.count() + n)
    )
    stays = []
    for i, person in enumerate(persons):
        day = date(2024, 12, 31) - timedelta(days=i % 700)
        stays.append(
            Stay(
                station=station,
                person=person,
                admitted_at=at(day),
                admitted_on=day,
                source="self",
                left_at=None if present else at(day, 16),
                left_on=None if present else day,
                exit_type="" if present else "left_by_choice",
                is_minor=i % 10 == 0,
            )
        )
    Stay.objects.bulk_create(stays)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "query",
    ["", "?q=王", "?q=王00", "?q=王001号", "?q=无名氏-2024", "?source=self&present=no", "?page=3"],
)
@pytest.mark.parametrize("role", ["station_staff", "supervisor"])
def test_it_lists_stays_in_the_same_number_of_queries_for_few_and_many(
    query, role, station, client_for
):
    client = client_for(role)
    url = reverse("cases:stay_list") + query
    _stays(station, 60)
    few = _count(client, url)
    _stays(station, 400)
    assert _count(client, url) == few


def test_it_shows_the_board_in_the_same_number_of_queries_for_few_and_many(station, client_for):
    client = client_for("station_staff")
    url = reverse("cases:board")
    _stays(station, 5, present=True)
    few = _count(client, url)
    _stays(station, 200, present=True)
    assert _count(client, url) == few


def _tickets(station, n: int) -> list[Ticket]:
    start = at(date(2024, 1, 1))
    return Ticket.objects.bulk_create(
        Ticket(
            station=station,
            channel="hotline",
            number=f"RX{Ticket.objects.count() + i}",
            received_at=start + timedelta(hours=7 * i),
            received_on=(start + timedelta(hours=7 * i)).date(),
            deadline=start + timedelta(hours=7 * i + 24),
            summary="街面求助",
        )
        for i in range(n)
    )


def test_it_lists_tickets_newest_first_in_the_same_number_of_queries(station, client_for):
    client = client_for("station_staff")
    url = reverse("cases:ticket_list")
    _tickets(station, 10)
    few = _count(client, url)
    made = _tickets(station, 300)
    assert _count(client, url) == few
    page = client.get(url).context["page_obj"]
    assert page[0] == made[-1]
    assert [t.received_at for t in page] == sorted((t.received_at for t in page), reverse=True)


def _rows(station, n, make_stay):
    institution = CareInstitution.objects.create(station=station, name="株洲康复医院")
    for i in range(n):
        person = Person.objects.create(station=station, name=f"人员{i}")
        make_stay(station, date(2024, 6, 1) + timedelta(days=i % 5), person=person)
        LongStay.objects.create(station=station, person=person, institution=institution)
        StreetPatrol.objects.create(station=station, patrol_date=date(2024, 6, 1), area="火车站")
        received = at(date(2024, 6, 1), 9)
        Ticket.objects.create(
            station=station,
            channel="hotline",
            received_at=received,
            received_on=received.date(),
            deadline=received + timedelta(days=1),
            summary="求助",
        )


LIST_PAGES = ["cases:board", "cases:stay_list", "cases:patrol_list", "cases:ticket_list"]


@pytest.mark.parametrize("n", [5, 30])
@pytest.mark.parametrize("name", [*LIST_PAGES, "cases:long_stay_list"])
def test_it_runs_a_bounded_number_of_queries_on_a_list_page(
    client_for, station, make_stay, django_assert_max_num_queries, name, n
):
    _rows(station, n, make_stay)
    client = client_for("supervisor")
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))
    assert response.status_code == 200
