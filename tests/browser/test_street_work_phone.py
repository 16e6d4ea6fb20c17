"""Street work on a phone: the patrol, ticket and intake forms at 390×844 and at 1366×768.

At phone width each form is one column, every field and button is a touch target of at least 44 px,
nothing is wider than the screen, and the date and time are filled in; a ticket is then recorded on
the phone. The screenshots are kept as test artefacts in STREET_WORK_SCREENSHOTS (default
var/artifacts/street-work/)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import GatheringArea, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(
    os.environ.get(
        "STREET_WORK_SCREENSHOTS",
        Path(__file__).resolve().parents[2] / "var" / "artifacts" / "street-work",
    )
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
# The pages of the street work, and the field that must start with today's date.
FORMS = {
    "patrol": ("/cases/patrols/new/", "#id_patrol_date"),
    "ticket": ("/cases/tickets/new/", "#id_received_at"),
    "intake": ("/cases/stays/new/", "#id_admitted_at"),
}
TOUCH_MIN_PX = 44

# The visible controls of the form, with their box; checkboxes and radio buttons are measured by
# the row that a finger taps (their label), the rest by their own box.
MEASURE = """
(form) => {
  const out = [];
  for (const el of form.querySelectorAll('input, select, textarea, button, a.btn')) {
    if (el.type === 'hidden') continue;
    let target = el;
    if (el.type === 'checkbox' || el.type === 'radio') {
      target = el.closest('label') || form.querySelector(`label[for="${el.id}"]`) || el;
    }
    const r = target.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    out.push({name: el.name || el.textContent.trim(), type: el.type || el.tagName, height: r.height,
              left: r.left, right: r.right});
  }
  return out;
}
"""


def _open(page: Page, live_server, path: str, viewport: dict[str, int]) -> None:
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}{path}")


def _field_columns(page: Page) -> set[int]:
    """The distinct left edges of the form's fields: one column has one."""
    lefts = page.locator("form .form-grid > .field").evaluate_all(
        "(fields) => fields.map((f) => Math.round(f.getBoundingClientRect().left))"
    )
    return set(lefts)


@pytest.fixture
def areas(station) -> None:
    for name in ("株洲火车站广场", "中心广场地下通道", "神农城广场"):
        GatheringArea.objects.create(station=station, name=name)


def test_the_street_work_forms_fit_a_phone(users, areas, login, page, live_server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    login("station_staff")
    today = timezone.localdate().isoformat()
    for name, (path, date_field) in FORMS.items():
        _open(page, live_server, path, DESKTOP)
        page.screenshot(path=str(ARTIFACTS / f"{name}-1366x768.png"), full_page=True)
        # The office screen keeps its several columns: the phone layout is the small screen's only.
        assert len(_field_columns(page)) > 1, name

        _open(page, live_server, path, PHONE)
        page.screenshot(path=str(ARTIFACTS / f"{name}-390x844.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        assert len(_field_columns(page)) == 1, name
        form = page.locator("main form, .content form").last
        controls = form.evaluate(MEASURE)
        assert controls, name
        small = [c for c in controls if c["height"] < TOUCH_MIN_PX]
        assert not small, f"{name}: controls under {TOUCH_MIN_PX} px: {small}"
        outside = [c for c in controls if c["right"] > PHONE["width"] or c["left"] < 0]
        assert not outside, f"{name}: controls beyond the screen: {outside}"
        expect(page.locator(date_field)).to_have_value(re.compile(rf"^{re.escape(today)}"))


def test_a_ticket_is_recorded_on_a_phone(users, login, page, live_server):
    page.set_viewport_size(PHONE)
    login("station_staff")
    page.goto(f"{live_server.url}/cases/tickets/new/")
    received = page.input_value("#id_received_at")
    assert received.startswith(timezone.localdate().isoformat())
    page.select_option("#id_channel", index=1)
    page.fill("#id_deadline", received[:10] + "T23:30")
    page.fill("#id_summary", "市民来电：株洲火车站广场有一名老人露宿")
    page.get_by_role("button", name="保存").click()

    expect(page.locator(".messages")).to_contain_text("已保存")
    ticket = Ticket.objects.get()
    assert ticket.summary == "市民来电：株洲火车站广场有一名老人露宿"
    assert timezone.localtime(ticket.received_at).strftime("%Y-%m-%dT%H:%M") == received
