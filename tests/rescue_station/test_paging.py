"""Lists count their rows up to a cap past the page asked for (rescue_station.paging)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from cases.models import Person, Stay
from rescue_station.paging import CappedPaginator
from tests.factories import TZ

pytestmark = pytest.mark.django_db


def _persons(station, n: int):
    Person.objects.bulk_create(Person(station=station, name=f"人{i:02d}") for i in range(n))
    return Person.objects.order_by("name")


@pytest.mark.parametrize(
    ("rows", "number", "count", "exact", "pages"),
    [
        (5, 1, 5, True, 3),
        (6, 1, 6, True, 3),
        (7, 1, 7, False, 4),  # one past the cap of 6: a next page exists beyond the count
        (30, 1, 7, False, 4),
        (30, 4, 13, False, 7),  # page 4 starts at row 7: counted up to 7 + 6
        (30, 15, 30, True, 15),
    ],
)
def test_it_counts_up_to_the_cap_past_the_page_asked_for(
    station, rows, number, count, exact, pages
):
    paginator = CappedPaginator(_persons(station, rows), 2, number=number, cap=6)
    assert paginator.count == count
    assert paginator.exact is exact
    assert paginator.num_pages == pages
    assert len(paginator.get_page(number)) == 2


def test_it_counts_in_one_query_limited_past_the_cap(station, django_assert_num_queries):
    paginator = CappedPaginator(_persons(station, 9), 2, number=1, cap=4)
    with django_assert_num_queries(1) as ctx:
        assert paginator.count == 5
    assert "LIMIT 5" in ctx.captured_queries[0]["sql"]


def test_it_counts_a_list_in_full(station):
    paginator = CappedPaginator(list(range(30)), 2, number=1, cap=6)
    assert (paginator.count, paginator.exact) == (30, True)


@pytest.fixture
def stays_12(station):
    start = datetime(2024, 1, 1, 10, tzinfo=TZ)
    for i in range(12):
        admitted = start + timedelta(days=i)
        person = Person.objects.create(station=station, name=f"人{i}")
        Stay.objects.create(
            station=station,
            person=person,
            admitted_at=admitted,
            admitted_on=admitted.date(),
            source="self",
        )


@pytest.fixture
def small_pages(settings, monkeypatch):
    settings.PAGE_SIZE = 5
    monkeypatch.setattr("rescue_station.paging.COUNT_CAP", 10)


def test_it_shows_a_capped_count_on_the_list(client_for, stays_12, small_pages):
    response = client_for("station_staff").get(reverse("cases:stay_list"))
    html = response.content.decode()
    assert "10+ 条记录" in html
    assert "第 1 页" in html and "共 3 页" not in html
    assert "?page=2" in html
    assert len(response.context["page_obj"]) == 5


def test_it_shows_the_exact_count_once_the_cap_reaches_the_end(client_for, stays_12, small_pages):
    response = client_for("station_staff").get(reverse("cases:stay_list"), {"page": 2})
    html = response.content.decode()
    assert "共 12 条记录" in html
    assert "第 2 页，共 3 页" in html


@pytest.mark.parametrize("page", ["3", "99", "x", "-1", "99999999999999"])
def test_it_takes_any_page_number(client_for, stays_12, small_pages, page):
    response = client_for("station_staff").get(reverse("cases:stay_list"), {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == (3 if page in ("3", "99") else 1)
