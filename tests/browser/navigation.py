"""The main navigation as a person uses it: most entries sit in a menu that opens first."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page


def nav_link(page: Page, name: str) -> Locator:
    """The entry ``name`` of the main navigation, visible: its menu is opened when it has one."""
    nav = page.locator("nav.mainnav")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        # Relative to the menu, and found while hidden (role locators skip hidden elements).
        entry = page.locator("a", has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))
        nav.locator("details[data-navmenu]", has=entry).locator("summary").click()
    return link
