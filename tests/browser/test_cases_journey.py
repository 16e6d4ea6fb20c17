"""A staff member registers an unidentified person, records a tracing effort and an escorted
departure, and sees the board change."""

import pytest
from playwright.sync_api import expect

from tests.browser.navigation import nav_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_takes_an_unidentified_person_from_the_door_to_home(users, login, page, live_server):
    login("station_staff")
    page.goto(f"{live_server.url}/cases/board/")
    expect(page.get_by_test_id("present-count")).to_have_text("0")

    nav_link(page, "入站登记").click()
    page.get_by_label("身份不明（临时编号）").check()
    page.fill("#id_description", "中等身材，短发，穿蓝色外套")
    page.select_option("#id_source", "police")
    page.fill("#id_brought_by", "株洲火车站派出所")
    page.fill("#id_temperature", "36.6")
    expect(page.locator("#id_health_status")).to_have_value("")  # nothing chosen for the clerk
    page.select_option("#id_health_status", "good")
    page.check("#id_safety_checked")
    page.get_by_role("button", name="登记").click()

    expect(page.locator(".messages")).to_contain_text("入站登记已完成")
    expect(page.locator("h1")).to_contain_text("无名氏-")
    expect(page.locator(".badge", has_text="特殊人员")).to_be_visible()
    detail_url = page.url

    page.locator("#tracing summary").click()
    page.select_option("#id_tracing-method", "dna")
    page.select_option("#id_tracing-result", "pending")
    page.get_by_test_id("event-tracing").get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("tracing")).to_contain_text("公安DNA采血比对")

    page.goto(f"{live_server.url}/cases/board/")
    expect(page.get_by_test_id("present-count")).to_have_text("1")
    expect(page.get_by_test_id("board")).to_contain_text("无名氏-")

    page.goto(detail_url)
    page.get_by_test_id("depart-link").click()
    # Nothing is answered for the person: type and satisfaction start empty and are required.
    expect(page.locator("#id_exit_type")).to_have_value("")
    expect(page.locator("#id_satisfaction")).to_have_value("")
    page.select_option("#id_satisfaction", "satisfied")
    page.select_option("#id_exit_type", "escorted_home")
    page.fill("#id_trip_date", page.input_value("#id_left_at")[:10])
    page.fill("#id_escorts", "李业务、王司机")
    page.fill("#id_destination", "江西省萍乡市")
    page.select_option("#id_transport", "car")
    page.fill("#id_cost", "-20")
    page.get_by_role("button", name="办理离站").click()
    expect(page.locator(".field.has-error")).to_contain_text("费用不能为负数")
    page.fill("#id_cost", "420")
    page.get_by_role("button", name="办理离站").click()

    expect(page.locator(".messages")).to_contain_text("离站手续已办理")
    expect(page.get_by_test_id("timeline")).to_contain_text("护送返乡")
    page.goto(f"{live_server.url}/cases/board/")
    expect(page.get_by_test_id("present-count")).to_have_text("0")
    expect(page.get_by_text("目前无在站人员。")).to_be_visible()
