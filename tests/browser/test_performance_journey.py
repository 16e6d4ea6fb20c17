"""A finance officer opens the 2024 form, writes a deviation note, downloads the PDF."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.navigation import nav_link
from tests.performance.conftest import demo_2024, seed_budget, seed_metrics  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PERFORMANCE_SCREENSHOTS")  # a folder: save the pages seen, to look at


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_a_finance_officer_writes_a_deviation_note_and_downloads_the_pdf(
    demo_2024,  # noqa: F811
    login,
    page,
    live_server,
):
    login("finance_officer")
    nav_link(page, "绩效自评").click()
    shot(page, "index")
    page.get_by_role("link", name="2024", exact=True).click()
    shot(page, "framework")
    page.get_by_role("link", name="自评表").first.click()
    expect(page.get_by_test_id("total")).to_have_text("99.2")
    expect(page.get_by_test_id("findings")).to_contain_text("一级指标权重与申报的不一致")
    shot(page, "form")
    if SHOTS:
        page.locator(".form-card").screenshot(path=os.path.join(SHOTS, "form-grid.png"))

    row = page.locator("tr[data-line='护送返乡人数']")
    row.locator("textarea").first.fill("返乡意愿增加，护送人数超过目标。")
    page.get_by_test_id("save-notes").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    assert (
        demo_2024.indicators.get(name="护送返乡人数").deviation
        == "返乡意愿增加，护送人数超过目标。"
    )

    with page.expect_download() as info:
        page.get_by_test_id("download-pdf").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    if SHOTS:
        page.goto(f"{live_server.url}/performance/frameworks/{demo_2024.pk}/copy/")
        shot(page, "copy")


def test_a_station_head_finalises_the_corrected_report_and_sees_its_hash(
    demo_2024,  # noqa: F811
    login,
    page,
    live_server,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    demo_2024.indicators.filter(name="生活无着流浪乞讨救助对象及未成年人满意度").update(weight=10)
    login("supervisor")
    page.goto(f"{live_server.url}/performance/frameworks/{demo_2024.pk}/form/")
    expect(page.get_by_test_id("findings")).not_to_contain_text("错误")
    # The draft says so in words, as text on the page (not a colour or an icon alone).
    assert page.get_by_test_id("status").inner_text() == "草稿"
    expect(page.get_by_test_id("finalised-on")).to_have_count(0)
    # Finalising asks first: dismissed, nothing is frozen; accepted, the report is final.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="定稿").click()
    expect(page.get_by_test_id("status")).to_have_text("草稿")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="定稿").click()
    expect(page.get_by_test_id("status")).to_have_text("已定稿")
    assert asked and "冻结" in asked[0]
    demo_2024.refresh_from_db()
    expect(page.get_by_test_id("sha256")).to_have_text(demo_2024.evaluation.pdf_sha256)
    expect(page.get_by_test_id("snapshot-sha256")).to_have_text(
        demo_2024.evaluation.snapshot_sha256
    )
    day = timezone.localdate(demo_2024.evaluation.finalised_at).isoformat()
    expect(page.get_by_test_id("finalised-on")).to_have_text(day)
    expect(page.get_by_test_id("finalised-with-errors")).to_have_count(0)
    # The notes are text now: no form, no save button.
    expect(page.get_by_test_id("save-notes")).to_have_count(0)
    shot(page, "final")


def test_a_station_head_finalises_the_form_as_it_stands_with_the_errors_acknowledged(
    demo_2024,  # noqa: F811
    login,
    page,
    live_server,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    login("supervisor")
    page.goto(f"{live_server.url}/performance/frameworks/{demo_2024.pk}/form/")
    expect(page.get_by_test_id("finalise")).to_be_disabled()
    page.get_by_test_id("acknowledge").locator("summary").click()
    boxes = page.get_by_test_id("acknowledge").locator("textarea")
    expect(boxes).to_have_count(2)
    # One left empty: refused, naming the error still to acknowledge.
    boxes.first.fill("报送期限已到，按现状报送。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("finalise-acknowledged").click()
    expect(page.locator(".messages")).to_contain_text("尚未确认")
    expect(page.get_by_test_id("status")).to_have_text("草稿")
    # The refused page comes back open, with what was written kept; the second is written now.
    expect(page.get_by_test_id("acknowledge")).to_have_attribute("open", "")
    expect(boxes.first).to_have_value("报送期限已到，按现状报送。")
    expect(boxes.nth(1)).to_have_value("")
    boxes.nth(1).fill("报送期限已到，按现状报送。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("finalise-acknowledged").click()
    expect(page.get_by_test_id("status")).to_have_text("已定稿")
    expect(page.get_by_test_id("finalised-with-errors")).to_contain_text(
        "本表在存在已确认问题的情况下定稿"
    )
    expect(page.get_by_test_id("acknowledgements")).to_contain_text("报送期限已到，按现状报送。")
    shot(page, "final-acknowledged")
