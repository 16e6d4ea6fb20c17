"""Who reaches which minors page: every URL of the app, every role, and the access log."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minors import urls as minors_urls
from minors.models import Activity, MandatoryReport, Visit
from rescue_station.models import AccessLog
from rescue_station.roles import Role

VIEW_ONLY = {
    "cases",
    "case_detail",
    "case_print",
    "case_pdf",
    "reports",
    "children",
    "child_detail",
    "activities",
    "activity_detail",
    "activity_list",
    "figures",
    "visits_due",
}
KINDS = ["visit", "plan", "followup", "assessment", "intervention"]


def _records(station, case, child):
    activity = Activity.objects.create(
        station=station, kind="camp", title="夏令营", held_on=date(2024, 7, 1), participants=3
    )
    report = MandatoryReport.objects.create(
        case=case, suspicion="侵害", reported_at=timezone.now(), recipient="police"
    )
    visit = Visit.objects.create(
        child=child, status="planned", planned_on=timezone.localdate(), occasion="routine"
    )
    return {
        "case": case,
        "child": child,
        "activity": activity,
        "report": report,
        "visit": visit,
    }


def _urls(records) -> dict[str, str]:
    """Every URL of the minors app, keyed by url name (and kind), with records of one station."""
    by_prefix = {
        "case": "case",
        "counselling": "case",
        "report_add": "case",
        "report_edit": "report",
        "child": "child",
        "activity": "activity",
        "visit": "visit",
    }
    urls = {}
    for pattern in minors_urls.urlpatterns:
        name = pattern.name
        params = set(pattern.pattern.converters)
        if not params:
            urls[name] = reverse(f"minors:{name}")
            continue
        key = next(v for k, v in by_prefix.items() if name.startswith(k))
        pk = records[key].pk
        if "kind" in params:
            for kind in KINDS:
                urls[f"{name}:{kind}"] = reverse(f"minors:{name}", args=[pk, kind])
        else:
            urls[name] = reverse(f"minors:{name}", args=[pk])
    return urls


@pytest.fixture
def own_urls(station, minor_case, make_child):
    return _urls(_records(station, minor_case, make_child(station)))


@pytest.fixture
def other_urls(other_station, other_case, make_child):
    return _urls(_records(other_station, other_case, make_child(other_station)))


def test_it_covers_every_url_pattern_of_the_app(own_urls):
    names = {n.split(":")[0] for n in own_urls}
    assert names == {p.name for p in minors_urls.urlpatterns}


def test_anonymous_users_are_sent_to_the_login_page(own_urls):
    for url in own_urls.values():
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


@pytest.mark.parametrize("role", [Role.STATION_STAFF, Role.BUREAU_SUPERVISOR, Role.FINANCE_OFFICER])
def test_roles_without_minors_permissions_get_403_or_404_on_every_minors_url(
    client_for, own_urls, role
):
    client = client_for(role)
    for url in own_urls.values():
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {}).status_code in (403, 404, 405), url
    assert not AccessLog.objects.exists()


def test_station_staff_see_no_minors_entry_in_the_navigation(client_for, own_urls):
    response = client_for("station_staff").get(reverse("home"))
    assert b"/minors/" not in response.content


def test_the_minors_worker_reaches_every_page(client_for, own_urls):
    client = client_for("minors_worker")
    for url in own_urls.values():
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("access_log")).status_code == 403


def test_the_supervisor_reads_every_page_and_changes_nothing(client_for, own_urls):
    client = client_for("supervisor")
    for name, url in own_urls.items():
        expected = 200 if name in VIEW_ONLY else 403
        assert client.get(url).status_code == expected, url


def test_the_admin_reaches_every_page(client_for, own_urls):
    client = client_for("admin")
    for url in own_urls.values():
        assert client.get(url).status_code == 200, url


def test_another_station_s_records_answer_404(client_for, other_urls):
    client = client_for("minors_worker")
    with_record = {n: u for n, u in other_urls.items() if any(c.isdigit() for c in u)}
    assert len(with_record) == 17
    for url in with_record.values():
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_lists_show_only_the_user_s_station(client_for, minor_case, other_case):
    response = client_for("minors_worker").get(reverse("minors:cases"))
    shown = list(response.context["page_obj"])
    assert shown == [minor_case]


@pytest.mark.parametrize("name", ["case_detail", "case_print", "case_pdf", "case_edit"])
def test_each_view_of_a_case_adds_one_access_log_row(client_for, users, minor_case, name):
    client = client_for("minors_worker")
    url = reverse(f"minors:{name}", args=[minor_case.pk])
    client.get(url)
    client.get(url)
    rows = AccessLog.objects.filter(record_type="minors.minorcase", record_id=minor_case.pk)
    assert rows.count() == 2
    assert {(r.user, r.station, r.path) for r in rows} == {
        (users["minors_worker"], minor_case.station, url)
    }


def test_a_view_of_a_child_record_is_logged_and_the_supervisor_reads_the_log(
    client_for, station, make_child
):
    child = make_child(station, name="小芳")
    client_for("minors_worker").get(reverse("minors:child_detail", args=[child.pk]))
    assert AccessLog.objects.filter(record_type="minors.child", record_id=child.pk).count() == 1
    response = client_for("supervisor").get(reverse("access_log"))
    assert "小芳" in response.content.decode()


def test_a_refused_view_logs_nothing(client_for, minor_case, other_case):
    client_for("station_staff").get(reverse("minors:case_detail", args=[minor_case.pk]))
    client_for("minors_worker").get(reverse("minors:case_detail", args=[other_case.pk]))
    assert not AccessLog.objects.exists()


def test_the_role_rules_give_the_access_log_to_supervisors_and_admins_only(users):
    holders = {
        role for role, user in users.items() if user.has_perm("rescue_station.view_accesslog")
    }
    assert holders == {"supervisor", "admin"}


def test_station_staff_see_no_minors_details_in_the_stay_pages(client_for, users, minor_case):
    from django.urls import NoReverseMatch

    from minors.services import counselling_record, mandatory_report_record, minor_case_update

    try:
        pages = [
            reverse("cases:stay_detail", args=[minor_case.stay_id]),
            reverse("cases:stay_list"),
            reverse("cases:board"),
        ]
    except NoReverseMatch:
        pytest.skip("the cases pages are not on this branch yet")
    worker = users["minors_worker"]
    minor_case_update(
        case=minor_case, acting_user=worker, reason_detail="秘密情况甲", guardian_name="监护人乙丙"
    )
    counselling_record(
        case=minor_case,
        held_on=date(2024, 3, 2),
        provider_role="lawyer",
        notes="秘密疏导丁",
        acting_user=worker,
    )
    mandatory_report_record(
        case=minor_case,
        suspicion="秘密侵害戊",
        reported_at=timezone.now(),
        recipient="police",
        receipt_no="RCPT-SECRET-1",
        acting_user=worker,
    )
    client = client_for("station_staff")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for secret in ("秘密情况甲", "监护人乙丙", "秘密疏导丁", "秘密侵害戊", "RCPT-SECRET-1"):
            assert secret not in page, (url, secret)
        assert "/minors/" not in page, url
