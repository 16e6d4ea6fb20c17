"""Each dashboard issues a bounded number of queries whatever the number of records and stations."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budget.models import BudgetLine, Expenditure, FunctionClass, FundingSource
from cases.models import Person, Stay, StayExtension, StreetPatrol, Ticket
from performance.services import framework_create, indicator_save
from rescue_station.models import Station, User
from rescue_station.selectors import local_today
from rescue_station.services import membership_grant

PAGES = [
    ("supervisor", "dashboards:head", []),
    ("station_staff", "dashboards:staff", []),
    ("finance_officer", "dashboards:finance", []),
    ("bureau_supervisor", "dashboards:region", []),
    ("bureau_supervisor", "dashboards:region_station", ["zhuzhou"]),
    ("finance_officer", "performance:monitoring_index", []),
]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, follow=True)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _more(station: Station, n: int) -> None:
    """Another batch of a day's records: people (with extensions), tickets past their deadline,
    patrols, a budget line and its payment."""
    today = local_today()
    staff = User.objects.get(username="station_staff")
    now = timezone.now()
    for k in range(5):
        person = Person.objects.create(station=station, name=f"增{n}{k}")
        stay = Stay.objects.create(
            station=station,
            person=person,
            admitted_at=now - timedelta(days=k * 6 + n),
            admitted_on=today - timedelta(days=k * 6 + n),
            source="police",
        )
        StayExtension.objects.create(
            stay=stay, days=5, reason="增", requested_by=staff, requested_at=now
        )
        Ticket.objects.create(
            station=station,
            channel="platform",
            received_at=now - timedelta(days=2),
            received_on=(now - timedelta(days=2)).date(),
            deadline=now - timedelta(hours=k + 1),
            summary="增",
        )
        StreetPatrol.objects.create(station=station, patrol_date=today, area=f"区{k}")
    line = BudgetLine.objects.filter(station=station).first()
    extra = BudgetLine.objects.create(
        station=station,
        year=line.year,
        source=line.source,
        nature="personnel",
        function_class=line.function_class,
        adjusted=Decimal("5000.00"),
        description=f"增{n}",
    )
    Expenditure.objects.create(line=extra, date=today, amount=Decimal(1), voucher_no=f"x{n}")


@pytest.mark.parametrize(("role", "name", "args"), PAGES, ids=[p[1] for p in PAGES])
def test_more_records_add_no_query(
    role, name, args, station, day_of_work, client_for, django_assert_max_num_queries
):
    day_of_work(station, people=2)
    client = client_for(role)
    url = reverse(name, args=args)
    few = _count(client, url)
    for n in range(4):
        _more(station, n)
    with django_assert_max_num_queries(few):
        client.get(url, follow=True)


KEYS = ["cases.intakes", "minors.care_activities", "cases.care_rate"]


def _lines(framework, keys: list[str]) -> None:
    admin = User.objects.get(username="admin")
    for k, key in enumerate(keys, start=framework.indicators.count() + 1):
        indicator_save(
            framework=framework,
            acting_user=admin,
            order=k,
            level1="产出指标",
            level2="数量指标",
            name=f"指标{k}",
            comparator=">=",
            target="10",
            weight=Decimal(1),
            metric_key=key,
        )


def _framework_and_budget(station: Station, n: int) -> None:
    admin = User.objects.get(username="admin")
    today = local_today()
    _lines(framework_create(station=station, year=today.year, acting_user=admin), KEYS)
    line = BudgetLine.objects.create(
        station=station,
        year=today.year,
        source=FundingSource.objects.get(name="一般公共预算"),
        nature="public",
        function_class=FunctionClass.objects.get(code="2082002"),
        adjusted=Decimal("1000.00"),
    )
    Expenditure.objects.create(line=line, date=today, amount=Decimal(n + 1), voucher_no=f"v{n}")


def test_more_stations_add_no_query_to_the_stations_side_by_side(
    station, day_of_work, make_user, django_assert_max_num_queries
):
    # The same metrics in every station's framework: the queries are one a metric group.
    _lines(day_of_work(station, people=1)["framework"], KEYS[1:])
    bureau = make_user("bureau_supervisor", station, username="regional")
    client = Client()
    client.force_login(bureau)
    url = reverse("dashboards:region")
    one = _count(client, url)
    for n in range(4):
        extra = Station.objects.create(name=f"第{n}救助站", code=f"s{n}", region_code="430200")
        membership_grant(user=bureau, station=extra)
        _framework_and_budget(extra, n)
    with django_assert_max_num_queries(one):
        response = client.get(url)
    assert len(response.context["region"].rows) == 5


@pytest.mark.parametrize("name", ["dashboard", "home"])
def test_the_figures_of_many_stations_are_one_query_a_group(
    name, station, make_user, django_assert_max_num_queries
):
    """The 38-figure table and the home page put the user's stations side by side too."""
    bureau = make_user("bureau_supervisor", station, username="regional")
    client = Client()
    client.force_login(bureau)
    one = _count(client, reverse(name))
    for n in range(4):
        extra = Station.objects.create(name=f"第{n}救助站", code=f"s{n}", region_code="430200")
        membership_grant(user=bureau, station=extra)
    with django_assert_max_num_queries(one):
        client.get(reverse(name))
