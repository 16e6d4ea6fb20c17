"""A clerk who leaves a form open past the idle time is warned, and loses nothing on saving."""

from __future__ import annotations

import os
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from cases.models import GatheringArea
from rescue_station.middleware import LAST_SEEN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.path.join("test-results", "screenshots")


def _age_session(page, seconds: float) -> None:
    """Move the server-side idle clock of the browser's session into the past."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[LAST_SEEN] = time.time() - seconds
    session.save()


def test_the_warning_shows_and_a_form_saved_after_the_end_is_kept(
    users, login, page, live_server, settings
):
    settings.SESSION_IDLE_MINUTES = 1
    settings.SESSION_WARNING_MINUTES = 1
    login("station_staff")
    page.goto(f"{live_server.url}/cases/areas/new/")
    warning = page.get_by_test_id("session-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("后自动退出登录")
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "session-warning.png"))

    page.fill("#id_name", "神农公园")
    _age_session(page, 120)
    expect(warning).to_contain_text("登录已超时", timeout=5000)
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/session/resume/")
    expect(page.locator(".messages")).to_contain_text("你填写的内容已保留")
    assert not GatheringArea.objects.exists()
    page.fill("#id_username", "station_staff")
    page.fill("#id_password", "test-pass-123")
    page.click("button[type=submit].primary")
    expect(page).not_to_have_url(f"{live_server.url}/session/resume/")
    expect(page.locator(".messages")).to_be_visible()
    area = GatheringArea.objects.get()
    assert area.name == "神农公园"
