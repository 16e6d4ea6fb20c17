"""The role pages: each shows only the user's stations, links only to pages the user may read,
and the head decides an extension from the inbox."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from cases.models import StayExtension

PAGES = ["dashboards:head", "dashboards:staff", "dashboards:finance", "dashboards:region"]
ROLE_OF_PAGE = {
    "dashboards:head": "supervisor",
    "dashboards:staff": "station_staff",
    "dashboards:finance": "finance_officer",
    "dashboards:region": "bureau_supervisor",
}


@pytest.fixture
def two_stations(station, other_station, day_of_work):
    return day_of_work(station, label="株洲"), day_of_work(other_station, label="湘潭")


@pytest.mark.parametrize("page", PAGES)
def test_each_page_shows_only_the_users_stations(two_stations, client_for, page, other_station):
    response = client_for(ROLE_OF_PAGE[page]).get(reverse(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "湘潭" not in html and other_station.name not in html
    assert "株洲" in html


def test_the_head_sees_the_stations_inbox_and_figures(two_stations, client_for):
    mine, _theirs = two_stations
    response = client_for("supervisor").get(reverse("dashboards:head"))
    extensions = [e.extension for e in response.context["extensions"]]
    assert extensions == [mine["extension"]]
    inbox = {i.testid: i for i in response.context["inbox"]}
    assert inbox["inbox-tickets"].count == 1
    assert inbox["inbox-over-limit"].count == 1
    figures = {f.testid: f for f in response.context["overview"].figures}
    assert figures["figure-present"].value == "3"
    html = response.content.decode()
    assert 'data-chart="chart-intakes-data"' in html and 'id="chart-intakes-data"' in html
    assert "vendor/echarts/echarts.min.js" in html and "<script>" not in html


def test_a_bureau_sees_its_stations_side_by_side_with_the_totals(
    two_stations, make_user, station, other_station
):
    bureau = make_user("bureau_supervisor", station, other_station, username="bureau2")
    client = Client()
    client.force_login(bureau)
    response = client.get(reverse("dashboards:region"))
    region = response.context["region"]
    assert [r.station for r in region.rows] == [station, other_station]
    assert region.total.intakes == "6"
    assert all(r.forecast != "—" for r in region.rows)
    drill = client.get(reverse("dashboards:region_station", args=[other_station.code]))
    assert drill.status_code == 200 and other_station.name in drill.content.decode()


def test_a_station_the_user_is_not_a_member_of_is_404(two_stations, client_for, other_station):
    client = client_for("bureau_supervisor")
    url = reverse("dashboards:region_station", args=[other_station.code])
    assert client.get(url).status_code == 404


def _links(html: str) -> list[str]:
    main = html.split('<main class="content">', 1)[1].split("</main>", 1)[0]
    return sorted(set(re.findall(r'href="(/[^"#]*)', main)))


@pytest.mark.parametrize(
    ("role", "name", "args"),
    [
        ("supervisor", "dashboards:head", []),
        ("station_staff", "dashboards:staff", []),
        ("finance_officer", "dashboards:finance", []),
        ("bureau_supervisor", "dashboards:region", []),
        ("bureau_supervisor", "dashboards:region_station", ["zhuzhou"]),
    ],
)
def test_every_link_opens_a_page_the_user_may_read(two_stations, client_for, role, name, args):
    client = client_for(role)
    links = _links(client.get(reverse(name, args=args)).content.decode())
    assert links
    for href in links:
        response = client.get(href.replace("&amp;", "&"))
        assert response.status_code in (200, 302), (role, href, response.status_code)
        if response.status_code == 302:  # a page that answers with its own address
            assert not response["Location"].startswith(reverse("login"))


def test_a_bureau_without_case_reading_gets_figures_without_links_to_persons(
    two_stations, client_for
):
    """The bureau role is losing cases' read access: its pages then show the figures only."""
    group = Group.objects.get(name="bureau_supervisor")
    group.permissions.remove(*Permission.objects.filter(content_type__app_label="cases"))
    client = client_for("bureau_supervisor")
    for url in (
        reverse("dashboards:region"),
        reverse("dashboards:region_station", args=["zhuzhou"]),
    ):
        html = client.get(url).content.decode()
        assert not [h for h in _links(html) if h.startswith("/cases/") or h.startswith("/minors/")]
    figures = (
        client.get(reverse("dashboards:region_station", args=["zhuzhou"]))
        .context["overview"]
        .figures
    )
    assert {f.testid: f.url for f in figures}["figure-intakes"] is None
    assert {f.testid: f.value for f in figures}["figure-intakes"] == "3"


def test_the_head_approves_an_extension_from_the_inbox(two_stations, client_for):
    mine, _ = two_stations
    extension = mine["extension"]
    client = client_for("supervisor")
    head = reverse("dashboards:head")
    url = reverse("cases:extension_decide", args=[extension.pk])
    response = client.post(url, {"decision": "approve", "reason": "同意", "next": head})
    assert response.status_code == 302 and response["Location"] == head
    extension.refresh_from_db()
    assert extension.status == "approved"
    assert extension.history.first().history_change_reason == "同意"


def test_a_refusal_needs_its_reason(two_stations, client_for):
    mine, _ = two_stations
    extension = mine["extension"]
    client = client_for("supervisor")
    url = reverse("cases:extension_decide", args=[extension.pk])
    head = reverse("dashboards:head")
    response = client.post(url, {"decision": "refuse", "next": head}, follow=True)
    assert "请说明不予批准延期的原因" in response.content.decode()
    assert StayExtension.objects.get(pk=extension.pk).status == "pending"
    client.post(url, {"decision": "refuse", "reason": "已联系家属接领", "next": head})
    assert StayExtension.objects.get(pk=extension.pk).status == "refused"


def test_a_decision_never_goes_back_to_another_site(two_stations, client_for):
    mine, _ = two_stations
    url = reverse("cases:extension_decide", args=[mine["extension"].pk])
    response = client_for("supervisor").post(
        url, {"decision": "approve", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("cases:stay_detail", args=[mine["extension"].stay_id])


def test_the_staff_page_lists_what_is_due_without_minors_names(two_stations, client_for):
    work = client_for("station_staff").get(reverse("dashboards:staff")).context["work"]
    assert [r.nights for r in work.due.over_limit] == [16]
    assert [r.nights for r in work.due.due_to_leave] == [9]
    assert [t.number for t in work.tickets_overdue] == ["株洲T1"]
    assert [p.area for p in work.patrols] == ["株洲火车站"]
    assert work.show_minors is False


def test_the_finance_page_lists_the_lines_behind_the_time(two_stations, client_for):
    finance = client_for("finance_officer").get(reverse("dashboards:finance")).context["finance"]
    if finance.time_share > 1:  # from 2 January on, 0.10% paid is behind the time
        assert [r.label for r in finance.behind] == ["株洲公用经费（一般公共预算）"]
    assert finance.monitoring is not None and finance.monitoring.station == "zhuzhou"
