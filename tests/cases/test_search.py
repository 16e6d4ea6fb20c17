"""The stay list's search: names and placeholder numbers by prefix under three characters and by
containment from three, ID numbers by prefix; the same rows on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from cases import selectors
from cases.models import Person
from rescue_station.models import User

pytestmark = pytest.mark.django_db

PERSONS = {
    "zhang": {"name": "张三"},
    "zhangsanfeng": {"name": "张三丰"},
    "ouyang": {"name": "欧阳张三丰"},
    "li": {"name": "李张三"},
    "john": {"name": "John Smith", "id_number": "11010519491231002X"},
    "unknown": {"name": "", "placeholder_no": "无名氏-2024-0001", "identified": False},
}


@pytest.fixture
def stays(station, make_stay) -> dict[str, object]:
    return {
        key: make_stay(
            station, date(2024, 5, 1), person=Person.objects.create(station=station, **f)
        )
        for key, f in PERSONS.items()
    }


def _found(user: User, station, q: str, stays) -> set[str]:
    found = set(selectors.stays_filtered(user, station, {"q": q}).values_list("pk", flat=True))
    return {key for key, stay in stays.items() if stay.pk in found}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # One or two characters: names that start with them (or are them), not containing them.
        ("张", {"zhang", "zhangsanfeng"}),
        ("张三", {"zhang", "zhangsanfeng"}),
        ("三丰", set()),
        # Three or more: names that contain them.
        ("张三丰", {"zhangsanfeng", "ouyang"}),
        ("李张三", {"li"}),
        ("阳张三", {"ouyang"}),
        # Latin letters in any case.
        ("jo", {"john"}),
        ("SMITH", {"john"}),
        # Placeholder numbers: prefix below three characters, containment from three.
        ("无名", {"unknown"}),
        ("2024-0001", {"unknown"}),
        ("00", set()),
        # ID numbers: by prefix, the check letter in either case.
        ("110105", {"john"}),
        ("11010519491231002x", {"john"}),
        ("1231002X", set()),
        ("没有这个人", set()),
    ],
)
def test_it_finds_stays_by_name_placeholder_and_id_number(q, expected, station, users, stays):
    assert _found(users["station_staff"], station, q, stays) == expected


def test_it_matches_a_minor_by_name_only_for_readers_of_minors(station, users, make_stay):
    minor = Person.objects.create(station=station, name="小明", placeholder_no="无名氏-2024-0009")
    stays = {"minor": make_stay(station, date(2024, 5, 1), person=minor, is_minor=True)}
    assert _found(users["station_staff"], station, "小明", stays) == set()
    assert _found(users["supervisor"], station, "小明", stays) == {"minor"}
    # The placeholder number names no one: it matches for every reader.
    assert _found(users["station_staff"], station, "无名氏-2024-0009", stays) == {"minor"}


def test_it_searches_from_the_stay_list_page(station, client_for, stays):
    response = client_for("station_staff").get(reverse("cases:stay_list"), {"q": "张三"})
    assert {s.pk for s in response.context["page_obj"]} == {
        stays["zhang"].pk,
        stays["zhangsanfeng"].pk,
    }


SEARCH_INDEXES = {
    "person_name_prefix",
    "person_name_trigram",
    "person_placeholder_prefix",
    "person_placeholder_trigram",
    "person_id_number_prefix",
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index methods")
def test_it_has_the_search_indexes_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'cases_person'")
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone()
    assert names >= SEARCH_INDEXES


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index methods")
@pytest.mark.parametrize(
    ("lookup", "q", "index"),
    [
        # The lookups stay_search makes: the SQL Django writes for them is what the indexes'
        # expressions must match, UPPER("column"::text).
        ("name__icontains", "张三丰", "person_name_trigram"),
        ("name__istartswith", "张三", "person_name_prefix"),
        ("placeholder_no__icontains", "2024-0001", "person_placeholder_trigram"),
        ("placeholder_no__istartswith", "无名", "person_placeholder_prefix"),
        ("id_number__istartswith", "110105", "person_id_number_prefix"),
    ],
)
def test_it_searches_persons_through_the_indexes_on_postgresql(lookup, q, index, station, stays):
    sql, params = Person.objects.filter(**{lookup: q}).query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows: without this the planner rightly reads the table instead.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
