"""The station head opens the dashboard on the demo, sees the charts drawn, opens the records
behind a figure, and approves a stay extension from the inbox.

The screenshots are kept as test artefacts in DASHBOARD_SCREENSHOTS (default var/artifacts/)."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import StayExtension
from tests.browser.navigation import nav_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(
    os.environ.get(
        "DASHBOARD_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "artifacts"
    )
)


@pytest.fixture
def demo(settings):
    settings.DEMO_PASSWORD = "demo-journey-pass"
    call_command("load_demo", "--allow-without-debug", stdout=StringIO())


def test_the_head_reads_the_dashboard_and_approves_an_extension(demo, login, page, live_server):
    problems = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    login("supervisor", "demo-journey-pass")
    nav_link(page, "领导驾驶舱").click()
    expect(page.locator("h1")).to_contain_text("领导驾驶舱")

    # Every chart is drawn by ECharts (an SVG in its element), its table beside it.
    charts = page.locator("[data-chart]")
    assert charts.count() >= 4
    for index in range(charts.count()):
        expect(charts.nth(index)).to_have_attribute("data-drawn", "true")
        expect(charts.nth(index).locator("svg")).to_have_count(1)
    expect(page.get_by_test_id("chart-intakes").locator("table")).to_contain_text("1月")
    expect(page.get_by_test_id("indicator-progress").locator("progress").first).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "head-dashboard.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "head-dashboard-1366x768.png"))

    # A figure opens the records behind it: the people in the station now.
    present = page.get_by_test_id("figure-present").locator("a")
    count = present.inner_text()
    present.click()
    expect(page).to_have_url(f"{live_server.url}/cases/board/")
    expect(page.get_by_test_id("present-count")).to_have_text(count)
    page.go_back()

    # The extension waiting in the inbox: its reason, approved with a word.
    pending = StayExtension.objects.get(status="pending")
    box = page.get_by_test_id(f"extension-{pending.pk}")
    expect(box).to_contain_text(pending.reason)
    box.locator("textarea").fill("同意延期，继续联系家属。")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    box.get_by_role("button", name="批准", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("延期申请已审批")
    expect(page.locator("h1")).to_contain_text("领导驾驶舱")
    expect(page.get_by_test_id(f"extension-{pending.pk}")).to_have_count(0)
    pending.refresh_from_db()
    assert pending.status == "approved"
    assert asked == [f"批准在站内再留 {pending.days} 天？"]
    page.screenshot(path=str(ARTIFACTS / "head-dashboard-after-approval.png"))
    assert not problems, problems


def test_the_bureau_and_the_finance_officer_see_their_charts_drawn(demo, login, page, live_server):
    problems = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    login("finance_officer", "demo-journey-pass")
    page.goto(f"{live_server.url}/dashboards/finance/")
    expect(page.locator("[data-chart][data-drawn=true] svg").first).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "finance-dashboard.png"), full_page=True)
    page.goto(f"{live_server.url}/performance/monitoring/")
    expect(page.get_by_test_id("monitoring-indicators")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "monitoring.png"), full_page=True)
    nav_link(page, "各站对比").click()
    expect(page.locator("[data-chart][data-drawn=true] svg").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "region.png"), full_page=True)
    assert not problems, problems
