"""A minors worker plans a visit to a registered child, finds it on the visits due as planned, and
records it as done once made; a day still to come is refused as the date it was done."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from minors.models import Child, Visit
from tests.browser.navigation import nav_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_plans_a_visit_sees_it_due_and_records_it_done(
    users, station, login, page, live_server
):
    today = timezone.localdate()
    child = Child.objects.create(
        station=station,
        name="周小禾",
        category="left_behind",
        registered_on=today - timedelta(days=30),
        next_visit_due=today + timedelta(days=150),
    )
    planned_day = today + timedelta(days=3)
    login("minors_worker")

    nav_link(page, "儿童台账").click()
    page.get_by_role("link", name="周小禾").click()
    page.get_by_role("link", name="计划走访").click()
    page.fill("#id_planned_on", planned_day.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    planned = page.get_by_test_id("planned-visits")
    expect(planned).to_contain_text(planned_day.isoformat())
    expect(planned).to_contain_text("已计划")

    nav_link(page, "待走访").click()
    row = page.get_by_test_id("visits-due").locator("tbody tr", has_text="周小禾")
    expect(row).to_contain_text("已计划")
    expect(row).to_contain_text(f"计划日期 {planned_day.isoformat()}")
    expect(row).to_contain_text(str(users["minors_worker"]))

    row.get_by_role("link", name="登记为已走访").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("将计划走访登记为已走访")
    page.fill("#id_visited_on", planned_day.isoformat())  # the planned day, still to come
    page.fill("#id_findings", "监护情况稳定，学习正常。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".field.has-error")).to_contain_text(
        "不能将今天以后的日期登记为已走访：请改为计划在该日走访。"
    )
    assert Visit.objects.get(child=child).status == "planned"

    page.fill("#id_visited_on", today.isoformat())  # made earlier than planned
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已登记为已走访")
    expect(page.get_by_test_id("planned-visits")).to_contain_text("暂无计划")
    expect(page.locator("section.card").nth(1)).to_contain_text("监护情况稳定，学习正常。")

    nav_link(page, "待走访").click()
    expect(page.get_by_test_id("visits-due")).not_to_contain_text("周小禾")

    visit = Visit.objects.get(child=child)
    assert (visit.status, visit.visited_on, visit.worker) == (
        "done",
        today,
        users["minors_worker"],
    )
    child.refresh_from_db()
    assert child.next_visit_due == today + timedelta(days=180)  # low risk: 180 days after
