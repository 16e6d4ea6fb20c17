"""The navigation bar of every role fits one row of a 1366-pixel office screen, its menus open
with the keyboard, and the current page is marked in its menu."""

import pytest
from playwright.sync_api import expect

from rescue_station.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_navigation_of_each_role_is_one_row(role, users, login, page, live_server):
    login(role)
    page.wait_for_url(f"{live_server.url}/")
    bar = page.get_by_test_id("mainnav").locator(":scope > ul")
    entries = bar.locator(":scope > li")
    assert entries.count() >= 2
    heights = {round(entries.nth(i).bounding_box()["y"]) for i in range(entries.count())}
    assert len(heights) == 1, f"{role}: entries on {len(heights)} rows"
    one_row = entries.first.bounding_box()["height"]
    assert bar.bounding_box()["height"] <= one_row + 1


def test_a_menu_opens_with_the_keyboard_and_marks_the_current_page(users, login, page, live_server):
    login("supervisor")
    page.goto(f"{live_server.url}/cases/tickets/")
    menu = page.locator("details[data-navmenu]", has=page.locator("a[aria-current=page]"))
    expect(menu.locator("summary")).to_have_class("active")
    current = menu.locator("a[aria-current=page]")
    expect(current).to_be_hidden()
    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(current).to_be_visible()
    expect(current).to_have_attribute("href", "/cases/tickets/")
    page.keyboard.press("Escape")
    expect(current).to_be_hidden()
