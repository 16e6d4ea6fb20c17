"""A minors worker records counselling and a mandatory report for a minor in the station."""

from datetime import date

import pytest
from playwright.sync_api import expect

from minors.models import CounsellingSession, MandatoryReport
from minors.services import minor_case_open_for_stay
from rescue_station.models import AccessLog
from tests.browser.navigation import nav_link
from tests.factories import StayFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_minors_worker_records_counselling_and_a_mandatory_report(
    users, station, login, page, live_server
):
    stay = StayFactory(
        station=station, admitted_on=date(2026, 11, 20), is_minor=True, person__name="林小雨"
    )
    case = minor_case_open_for_stay(stay=stay, acting_user=users["station_staff"])
    login("minors_worker")

    nav_link(page, "站内未成年人").click()
    page.get_by_role("link", name="林小雨").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("林小雨")

    page.get_by_role("link", name="登记心理疏导").click()
    page.fill("#id_held_on", "2026-11-21")
    page.select_option("#id_provider_role", "counsellor")
    page.fill("#id_provider_name", "黄老师")
    page.fill("#id_notes", "情绪低落，进行心理疏导。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("心理疏导已登记")
    expect(page.get_by_test_id("timeline")).to_contain_text("黄老师")

    page.get_by_role("link", name="登记强制报告").click()
    page.fill("#id_suspicion", "谈话中透露遭受家人殴打。")
    page.fill("#id_reported_at", "2026-11-21T15:30")
    page.fill("#id_recipient_unit", "荷塘派出所")
    page.fill("#id_receipt_no", "HT-2026-031")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("强制报告已登记")
    expect(page.get_by_test_id("timeline")).to_contain_text("HT-2026-031")

    nav_link(page, "强制报告").click()
    expect(page.get_by_role("table")).to_contain_text("HT-2026-031")
    expect(page.get_by_test_id("overdue-reports")).to_have_count(0)

    assert CounsellingSession.objects.get(case=case).provider_name == "黄老师"
    report = MandatoryReport.objects.get(case=case)
    assert (report.recipient, report.recorded_by) == ("police", users["minors_worker"])
    assert AccessLog.objects.filter(record_id=case.pk, user=users["minors_worker"]).exists()


def test_station_staff_have_no_minors_entry_and_are_refused(
    users, station, login, page, live_server
):
    stay = StayFactory(
        station=station, admitted_on=date(2026, 11, 20), is_minor=True, person__name="林小雨"
    )
    case = minor_case_open_for_stay(stay=stay, acting_user=None)
    login("station_staff")
    expect(page.get_by_role("navigation").get_by_role("link", name="站内未成年人")).to_have_count(0)
    response = page.goto(f"{live_server.url}/minors/cases/{case.pk}/")
    assert response.status == 403
