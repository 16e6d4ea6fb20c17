"""The bureau reads figures, not persons' records: every URL of the cases and minors apps (taken
from the URL resolver, so that a new view is covered without a new test) answers 403 to it,
unless an administrator grants it case inspection; then it reads them, and every read is logged.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases import views as cases_views
from cases.models import (
    BelongingsItem,
    CareInstitution,
    GatheringArea,
    LongStay,
    SafetyCheck,
    SafetyIncident,
    StayExtension,
    StreetPatrol,
    Ticket,
)
from minors import views as minors_views
from minors.models import Activity, Child, MandatoryReport, Visit, VisitStatus
from minors.services import minor_case_open_for_stay
from performance.services import framework_create
from rescue_station.models import AccessLog
from tests.factories import StayFactory, at

NAMESPACES = ("cases", "minors")

# Which record fills a URL's ``pk``, by the URL name's first word (the longest that matches).
# A new URL whose record is not known here fails the test until it is added: it is not skipped.
RECORD_OF_PREFIX = {
    "cases": {
        "stay": "stay",
        "person": "stay",
        "belongings": "stay",
        "extension": "extension",
        "patrol": "patrol",
        "area": "area",
        "ticket": "ticket",
        "safety_check": "safety_check",
        "incident": "incident",
        "long_stay": "long_stay",
    },
    "minors": {
        "case": "case",
        "counselling": "case",
        "report_add": "case",
        "report": "report",
        "child": "child",
        "activity": "activity",
        "visit": "visit",
    },
}
# The other URL arguments: every value each view knows.
CHOICES = {
    ("cases", "kind"): list(cases_views.EVENTS),
    ("cases", "form"): list(cases_views.PRINT_FORMS),
    ("minors", "kind"): list(minors_views.CHILD_RECORDS),
}


def _patterns(namespace: str) -> list[URLPattern]:
    resolver = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == namespace
    )
    return [p for p in resolver.url_patterns if isinstance(p, URLPattern)]


def _record_for(namespace: str, name: str, records: dict) -> object:
    prefixes = [p for p in RECORD_OF_PREFIX[namespace] if name.startswith(p)]
    assert prefixes, f"{namespace}:{name} takes a pk: say which record in RECORD_OF_PREFIX"
    return records[RECORD_OF_PREFIX[namespace][max(prefixes, key=len)]]


def person_level_urls(records: dict) -> dict[str, str]:
    """Every URL of the cases and minors apps, its arguments filled with the station's records."""
    urls = {}
    for namespace in NAMESPACES:
        for pattern in _patterns(namespace):
            params = set(pattern.pattern.converters)
            kwargs: list[dict] = [{}]
            if "pk" in params:
                kwargs = [{"pk": _record_for(namespace, pattern.name, records).pk}]
            if "item_pk" in params:
                kwargs = [{**k, "item_pk": records["item"].pk} for k in kwargs]
            for param in params - {"pk", "item_pk"}:
                kwargs = [{**k, param: v} for k in kwargs for v in CHOICES[(namespace, param)]]
            for k in kwargs:
                key = ":".join([namespace, pattern.name, *map(str, k.values())])
                urls[key] = reverse(f"{namespace}:{pattern.name}", kwargs=k)
    return urls


@pytest.fixture
def records(station, users, settings, tmp_path) -> dict:
    settings.MEDIA_ROOT = tmp_path
    stay = StayFactory(station=station, admitted_on=date(2024, 5, 1), person__name="成年人甲")
    stay.person.photo.save("p.png", ContentFile(b"\x89PNG fake"), save=True)
    minor_stay = StayFactory(
        station=station, admitted_on=date(2024, 5, 2), is_minor=True, person__name="小明明"
    )
    case = minor_case_open_for_stay(stay=minor_stay, acting_user=users["minors_worker"])
    child = Child.objects.create(
        station=station, name="小芳芳", category="left_behind", registered_on=date(2024, 1, 1)
    )
    activity = Activity.objects.create(
        station=station, kind="camp", title="夏令营", held_on=date(2024, 7, 1), participants=3
    )
    activity.children.add(child)
    received = at(date(2024, 5, 3), 9)
    return {
        "stay": stay,
        "item": BelongingsItem.objects.create(stay=stay, description="手机"),
        "extension": StayExtension.objects.create(
            stay=stay,
            days=3,
            reason="待查",
            requested_by=users["station_staff"],
            requested_at=stay.admitted_at,
        ),
        "patrol": StreetPatrol.objects.create(
            station=station, patrol_date=date(2024, 5, 1), area="火车站"
        ),
        "area": GatheringArea.objects.create(station=station, name="火车站"),
        "ticket": Ticket.objects.create(
            station=station,
            channel="hotline",
            received_at=received,
            received_on=received.date(),
            deadline=received + timedelta(days=1),
            summary="求助",
        ),
        "safety_check": SafetyCheck.objects.create(
            station=station, checked_on=date(2024, 5, 1), item="fire"
        ),
        "incident": SafetyIncident.objects.create(
            station=station, occurred_on=date(2024, 5, 1), kind="跌倒", description="轻伤"
        ),
        "long_stay": LongStay.objects.create(
            station=station,
            person=stay.person,
            institution=CareInstitution.objects.create(station=station, name="康复医院"),
        ),
        "case": case,
        "report": MandatoryReport.objects.create(
            case=case, suspicion="侵害", reported_at=timezone.now(), recipient="police"
        ),
        "child": child,
        "activity": activity,
        "visit": Visit.objects.create(
            child=child,
            status=VisitStatus.PLANNED,
            planned_on=timezone.localdate() + timedelta(days=3),
            worker=users["minors_worker"],
        ),
    }


@pytest.fixture
def urls(records) -> dict[str, str]:
    return person_level_urls(records)


@pytest.fixture
def inspector(users):
    """The bureau supervisor, granted case inspection by an administrator (a user's own grant)."""
    bureau = users["bureau_supervisor"]
    bureau.user_permissions.add(Permission.objects.get(codename="inspect_cases"))
    return bureau


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_takes_every_url_of_both_apps_from_the_resolver(urls):
    names = {tuple(key.split(":")[:2]) for key in urls}
    assert names == {(ns, p.name) for ns in NAMESPACES for p in _patterns(ns)}
    assert len(urls) > 50


def test_the_bureau_gets_403_on_every_url_of_cases_and_minors(client_for, urls):
    client = client_for("bureau_supervisor")
    for key, url in urls.items():
        response = client.get(url)
        # A view that answers POST only refuses a GET before it looks at the user.
        refused = response.status_code == 403 or (
            response.status_code == 405 and response["Allow"] == "POST"
        )
        assert refused, (key, response.status_code)
        assert client.post(url, {}).status_code == 403, key
    assert not AccessLog.objects.exists()


def test_the_bureau_sees_no_cases_or_minors_entry_in_its_navigation(client_for, urls):
    page = client_for("bureau_supervisor").get(reverse("home")).content.decode()
    assert "/cases/" not in page and "/minors/" not in page


@pytest.fixture
def figures_urls(station, users) -> list[str]:
    framework = framework_create(station=station, year=2024, acting_user=users["admin"])
    budget = [
        "budget:execution",
        "budget:execution_export",
        "budget:line_list",
        "budget:expenditure_list",
        "budget:project_list",
    ]
    performance = ["framework", "form", "json", "xlsx"]
    return [
        reverse("home"),
        reverse("dashboard"),
        reverse("dashboard") + "?year=2024",
        *[reverse(name) for name in budget],
        reverse("performance:index"),
        *[reverse(f"performance:{name}", args=[framework.pk]) for name in performance],
    ]


def test_the_bureau_reads_its_dashboards_budgets_and_self_evaluations(client_for, figures_urls):
    client = client_for("bureau_supervisor")
    for url in figures_urls:
        assert client.get(url).status_code == 200, url


def _served_by_get(client: Client, urls: dict[str, str]) -> set[str]:
    return {key for key, url in urls.items() if client.get(url).status_code == 200}


def test_an_inspector_reads_what_a_station_head_reads_and_each_read_is_logged(
    client_for, users, urls, inspector
):
    # The station head holds the view permissions of both apps: the read pages are the ones
    # she is served. Some of a stay's forms do not exist for every stay (404 for both).
    read_pages = _served_by_get(client_for("supervisor"), urls)
    assert {":".join(key.split(":")[:2]) for key in read_pages} >= {
        "cases:board",
        "cases:stay_list",
        "cases:stay_export",
        "cases:stay_detail",
        "cases:stay_print",
        "cases:stay_print_pdf",
        "cases:person_photo",
        "cases:patrol_list",
        "cases:long_stay_list",
        "minors:cases",
        "minors:case_detail",
        "minors:case_pdf",
        "minors:children",
        "minors:child_detail",
        "minors:activity_detail",
        "minors:figures",
    }
    client = _client(inspector)
    for key in sorted(read_pages):
        before = AccessLog.objects.filter(user=inspector).count()
        assert client.get(urls[key]).status_code == 200, key
        assert AccessLog.objects.filter(user=inspector).count() == before + 1, key
    # Inspection reads: the writing pages stay closed.
    for key in set(urls) - read_pages:
        assert client.get(urls[key]).status_code in (403, 404, 405), key
        assert client.post(urls[key], {}).status_code in (403, 404), key


def test_an_inspector_s_reads_say_what_was_read(client_for, records, inspector):
    client = _client(inspector)
    stay, child = records["stay"], records["child"]
    client.get(reverse("cases:stay_detail", args=[stay.pk]))
    client.get(reverse("minors:child_detail", args=[child.pk]))
    client.get(reverse("cases:patrol_list"), {"start": "2024-01-01"})
    client.get(reverse("minors:figures"), {"year": "2024"})  # a page that logs nothing itself
    rows = list(AccessLog.objects.filter(user=inspector).order_by("pk"))
    assert [(r.kind, r.record_type, r.record_id, r.record_label) for r in rows[:2]] == [
        ("record", "cases.stay", stay.pk, str(stay)),
        ("record", "minors.child", child.pk, "小芳芳"),
    ]
    patrols = rows[2]
    assert (patrols.kind, patrols.list_name, patrols.query) == (
        "list",
        "cases:patrol_list",
        "start=2024-01-01",
    )
    figures = rows[3]
    assert (figures.kind, figures.list_name, figures.query, figures.record_type) == (
        "list",
        "minors:figures",
        "year=2024",
        "",
    )
    assert len(rows) == 4 and {r.station for r in rows} == {stay.station}


def test_an_adult_s_stay_read_by_the_station_head_is_not_logged(client_for, records):
    client_for("supervisor").get(reverse("cases:stay_detail", args=[records["stay"].pk]))
    assert not AccessLog.objects.exists()


def test_without_the_grant_no_role_but_the_admin_holds_case_inspection(users):
    holders = {
        role for role, user in users.items() if user.has_perm("rescue_station.inspect_cases")
    }
    assert holders == {"admin"}
