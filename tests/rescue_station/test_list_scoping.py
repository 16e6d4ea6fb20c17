"""Every page of the navigation shows the station being worked in, and only it.

The pages come from the navigation (each app's ``nav_items``), not from a list kept here: a new
list page is covered as soon as it is in the navigation. A user of two stations, records in
both (each record's text carries its station's mark): a page shows the current station's
records and none of the other's; switching station (the switcher) shows the other's. A page
that shows no record of either (a form, figures) has nothing to narrow and is skipped; the pages
that set the user's stations side by side show both.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from budget.models import BudgetLine, Expenditure, FunctionClass, FundingSource, Nature, Project
from budget.reference import ensure_reference_data
from cases.models import (
    CareInstitution,
    ExtensionStatus,
    GatheringArea,
    LongStay,
    Person,
    SafetyCheck,
    SafetyIncident,
    Source,
    Stay,
    StayExtension,
    StreetPatrol,
    Ticket,
    TicketChannel,
)
from minors.models import Activity, ActivityKind, Child, MandatoryReport
from minors.services import minor_case_open_for_stay
from performance.models import Framework
from rescue_station.models import AccessKind, AccessLog
from rescue_station.navigation import nav_for
from rescue_station.roles import Role
from rescue_station.selectors import local_today

# The pages that set all of the user's stations side by side (by for_user / for_stations).
SIDE_BY_SIDE = {"dashboard", "dashboards:region", "access_log"}

MARKS = ("甲站标记", "乙站标记")

NAV_PAGES = sorted(
    {
        url_name
        for config in apps.get_app_configs()
        for url_name, *_ in getattr(config, "nav_items", [])
    }
)


def _records(station, mark: str, user) -> set[str]:
    """One record of each kind the pages show, dated today, its text carrying ``mark``; what
    shows them on a page: ``mark``, and the links to the records that show no text of theirs."""
    today = local_today()
    now = timezone.now()
    adult = Person.objects.create(station=station, name=f"{mark}成人")
    Stay.objects.create(
        station=station, person=adult, admitted_at=now, admitted_on=today, source=Source.POLICE
    )
    minor = Person.objects.create(station=station, name=f"{mark}少年")
    minor_stay = Stay.objects.create(
        station=station,
        person=minor,
        admitted_at=now,
        admitted_on=today,
        source=Source.POLICE,
        is_minor=True,
    )
    case = minor_case_open_for_stay(stay=minor_stay, acting_user=None)
    case.guardian_name = f"{mark}监护人"
    case.save()
    MandatoryReport.objects.create(
        case=case,
        suspicion="疑似",
        reported_at=now,
        recipient="police",
        receipt_no=f"{mark}回执",
        recipient_unit=f"{mark}派出所",
    )
    StayExtension.objects.create(
        stay=minor_stay,
        days=10,
        reason=f"{mark}延期",
        requested_by=user,
        requested_at=now,
        status=ExtensionStatus.PENDING,
    )
    LongStay.objects.create(station=station, person=adult)
    StreetPatrol.objects.create(station=station, patrol_date=today, area=f"{mark}巡查点")
    GatheringArea.objects.create(station=station, name=f"{mark}聚集点")
    Ticket.objects.create(
        station=station,
        channel=TicketChannel.HOTLINE,
        received_at=now,
        received_on=today,
        deadline=now + timedelta(days=1),
        summary=f"{mark}求助",
    )
    SafetyCheck.objects.create(station=station, checked_on=today, item=f"{mark}检查")
    SafetyIncident.objects.create(
        station=station, occurred_on=today, kind=f"{mark}事件", description=f"{mark}经过"
    )
    CareInstitution.objects.create(station=station, name=f"{mark}机构")
    Child.objects.create(
        station=station,
        name=f"{mark}儿童",
        category="left_behind",
        registered_on=today - timedelta(days=400),
        next_visit_due=today,
        township=f"{mark}镇",
    )
    Activity.objects.create(
        station=station,
        kind=ActivityKind.THEME,
        title=f"{mark}活动",
        held_on=today,
        participants=1,
    )
    code = FunctionClass.objects.get(code="2082002")
    project = Project.objects.create(
        station=station, year=today.year, name=f"{mark}项目", function_class=code
    )
    line = BudgetLine.objects.create(
        station=station,
        year=today.year,
        nature=Nature.PROJECT,
        project=project,
        source=FundingSource.objects.get(code="general"),
        function_class=code,
        initial=Decimal("10000"),
        adjusted=Decimal("10000"),
        description=f"{mark}预算",
    )
    Expenditure.objects.create(
        line=line,
        date=today,
        amount=Decimal("100"),
        voucher_no=f"{mark}凭证",
        description=f"{mark}支出",
    )
    AccessLog.objects.create(
        station=station, user=user, kind=AccessKind.RECORD, record_label=f"{mark}查阅"
    )
    framework = Framework.objects.create(station=station, year=today.year)
    return {mark, f'href="{reverse("performance:framework", args=[framework.pk])}"'}


@pytest.fixture
def two_stations(db, station, other_station, make_user):
    ensure_reference_data()
    clerk = make_user("station_staff", station, other_station, username="clerk")
    TOKENS[MARKS[0]] = _records(station, MARKS[0], clerk)
    TOKENS[MARKS[1]] = _records(other_station, MARKS[1], clerk)
    return station, other_station


TOKENS: dict[str, set[str]] = {}  # each station's mark -> what shows its records on a page


@pytest.fixture
def readers(two_stations, make_user):
    """One user of both stations per role."""
    return [make_user(role.value, *two_stations, username=f"two-{role.value}") for role in Role]


def _reader(readers, url: str):
    """The first role whose navigation has the page."""
    return next((u for u in readers if any(item.url == url for item in nav_for(u))), None)


def _marks(client: Client, url: str) -> set[str]:
    response = client.get(url, follow=True)  # the monitoring index opens the year's page
    assert response.status_code == 200, url
    text = response.content.decode()
    return {mark for mark in MARKS if any(token in text for token in TOKENS[mark])}


@pytest.mark.parametrize("url_name", NAV_PAGES)
def test_a_page_of_the_navigation_shows_the_station_worked_in(url_name, two_stations, readers):
    url = reverse(url_name)
    user = _reader(readers, url)
    if user is None:
        pytest.skip("no role has this page in its navigation")
    client = Client()
    client.force_login(user)

    first, second = two_stations
    shown = []
    for station in (first, second):
        client.post(reverse("station_select"), {"station": station.pk})
        assert client.session["current_station_id"] == station.pk
        shown.append(_marks(client, url))
    if not any(shown):
        pytest.skip("the page shows no record of either station")
    if url_name in SIDE_BY_SIDE:
        assert shown == [set(MARKS), set(MARKS)], shown
        return
    assert shown == [{MARKS[0]}, {MARKS[1]}], shown


def test_the_lists_of_every_app_are_among_the_pages_checked(readers):
    """The records above reach the lists: each app with a navigation has a page that shows them
    (else the test above would skip everything and hold nothing)."""
    checked = set()
    for url_name in NAV_PAGES:
        url = reverse(url_name)
        user = _reader(readers, url)
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        if _marks(client, url):
            checked.add(url_name)
    apps_checked = {name.split(":")[0] for name in checked if ":" in name}
    assert {"cases", "minors", "budget", "performance", "dashboards"} <= apps_checked, checked


@pytest.mark.parametrize(
    ("url_name", "stations_of"),
    [
        ("dashboard", lambda context: context["stations"]),
        ("dashboards:region", lambda context: [row.station for row in context["region"].rows]),
    ],
)
def test_the_pages_side_by_side_show_all_of_the_user_s_stations(
    url_name, stations_of, two_stations, readers
):
    url = reverse(url_name)
    user = _reader(readers, url)
    client = Client()
    client.force_login(user)
    for station in two_stations:
        client.post(reverse("station_select"), {"station": station.pk})
        response = client.get(url)
        assert set(stations_of(response.context)) == set(two_stations)


def test_the_pages_the_navigation_links_to_show_the_station_worked_in(two_stations, readers):
    """The pages one link away from the navigation's (the activities' list behind their
    calendar, a list's other views), with no record in their address: the same rule."""
    first, second = two_stations
    nav_urls = {reverse(name) for name in NAV_PAGES}
    failures, checked = [], set()
    for url_name in NAV_PAGES:
        if url_name in SIDE_BY_SIDE:
            continue
        user = _reader(readers, reverse(url_name))
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        client.post(reverse("station_select"), {"station": first.pk})
        page = client.get(reverse(url_name), follow=True)
        for href in set(re.findall(r'href="(/[^"#]*)"', page.content.decode())):
            path = href.split("?")[0]
            try:
                match = resolve(path)
            except Resolver404:
                continue
            if match.kwargs or path in nav_urls or href in checked:
                continue
            checked.add(href)
            shown = []
            for station in (first, second):
                client.post(reverse("station_select"), {"station": station.pk})
                response = client.get(html.unescape(href))
                if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                    break
                text = response.content.decode()
                shown.append({m for m in MARKS if any(t in text for t in TOKENS[m])})
            else:
                if any(shown) and shown != [{MARKS[0]}, {MARKS[1]}]:
                    failures.append((href, shown))
            client.post(reverse("station_select"), {"station": first.pk})
    assert not failures, failures
    assert checked
