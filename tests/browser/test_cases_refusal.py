"""A staff member refuses help to a person who will not give true information, and prints the
不予救助通知书."""

import pytest
from playwright.sync_api import expect

from cases.models import Person, Stay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_refuses_help_with_a_reason_and_prints_the_notice(
    users, station, login, page, live_server
):
    person = Person.objects.create(station=station, name="赵六", gender="male")
    from rescue_station.selectors import local_today

    day = local_today()
    stay = Stay.objects.create(
        station=station,
        person=person,
        admitted_at=f"{day:%Y-%m-%d}T00:10:00+08:00",
        admitted_on=day,
        source="self",
    )
    login("station_staff")
    page.goto(f"{live_server.url}/cases/stays/{stay.pk}/")
    page.locator("#refusal summary").click()
    page.fill("#id_refusal-reason", "   ")  # passes the browser's check, not the server's
    page.get_by_test_id("event-refusal").get_by_role("button", name="保存").click()
    expect(page.locator("#refusal")).to_contain_text("请填写不予救助的理由")
    page.fill("#id_refusal-reason", "拒不如实提供个人情况")
    page.get_by_test_id("event-refusal").get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("拒不如实提供个人情况")
    expect(page.get_by_test_id("refusal")).to_contain_text("station_staff")
    page.get_by_test_id("print-refusal").click()
    expect(page.locator("h1")).to_contain_text("不予救助通知书")
    expect(page.locator(".letter")).to_contain_text("因拒不如实提供个人情况")
