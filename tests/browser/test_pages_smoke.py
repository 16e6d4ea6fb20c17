"""Every page of every role's navigation, on the demo data, in a real browser.

A page that fails to render, a resource that does not load, or a script or style the content
security policy blocks shows up here as an HTTP error or a console message.
"""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["station_staff", "minors_worker", "finance_officer", "supervisor", "bureau_supervisor"]


@pytest.fixture
def demo(settings):
    settings.DEMO_PASSWORD = "demo-smoke-pass"
    call_command("load_demo", "--allow-without-debug", stdout=StringIO())


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_navigation_renders_cleanly(role, demo, login, page, live_server):
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    login(role, "demo-smoke-pass")
    links = page.eval_on_selector_all(
        "nav.mainnav a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert len(links) > 1
    for href in links:
        page.goto(f"{live_server.url}{href}")
        assert page.locator("main.content").count() == 1, href
    assert not problems, problems
