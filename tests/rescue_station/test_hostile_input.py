"""Hostile input, checked by machines: every form of every role, found by crawling the role's pages
and completing the URL resolver's patterns with the demo's records, gets random and hostile values
(hypothesis, a fixed example budget); never a 500 (nor an exception through the test client),
nothing invalid saved, every saved value exportable to Excel (the stay list's export included).

No form is listed here: a new form is covered by being on a page of some role (see ``hostile``).
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rescue_station.models import User
from rescue_station.roles import Role

from . import hostile

ROLES = [r.value for r in Role]
EXAMPLES = 3  # per form: the whole module stays well under two minutes on SQLite


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back after it (each test nests inside)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--allow-without-debug", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def crawled(demo, django_db_blocker) -> dict[str, tuple[Client, hostile.Discovery]]:
    """Each role's client (an exception in a view reaches the test) and what it found, once for
    the module (inside the demo's transaction)."""
    found = {}
    with django_db_blocker.unblock():
        for role in ROLES:
            client = Client()
            user = User.objects.get(username=role)
            client.force_login(user)
            found[role] = (client, hostile.discover(client, user))
    return found


def _hostile_posts(forms: list[tuple[Client, hostile.FormPage]], files) -> dict[str, list[str]]:
    """Post drawn values to every form; the problems by form, with the values posted."""
    problems: dict[str, list[str]] = {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def post_each(data: st.DataObject) -> None:
        for client, form in forms:
            post = hostile.draw_post(data, form, files)
            outcome = hostile.post_hostile(client, form.action, post)
            if outcome.problems:
                shown = {k: [repr(v)[:50] for v in vs] for k, vs in post.items()}
                problems.setdefault(form.key, []).append(f"{outcome.problems} posting {shown}")

    post_each()
    return problems


def test_it_finds_the_forms_of_every_role_from_the_navigation_and_the_resolver(crawled, db):
    staff = crawled["station_staff"][1]
    assert "cases:stay_create" in staff.forms  # from the navigation
    assert "cases:stay_event/kind=referral" in staff.forms  # from a record's page
    minors = crawled["minors_worker"][1]
    assert "minors:report_edit" in minors.forms  # linked from no page: from the resolver
    assert "performance:framework_create" not in minors.forms  # not the role's
    opened = {
        key.split("/")[0]
        for _c, found in crawled.values()
        for key in [*found.pages, *found.forms]  # a page that only takes posts: a form's action
    }
    missed = {
        name
        for name in hostile.resolver_routes()
        if name not in opened and not hostile.skipped_page(name)
    }
    assert not missed, f"pages no role reached: {sorted(missed)}"
    assert any(found.workbooks for _c, found in crawled.values())  # templates to spoil


def test_it_answers_hostile_values_in_every_form_without_error_and_saves_only_valid_values(
    crawled, db
):
    forms: dict[str, tuple[Client, hostile.FormPage]] = {}
    workbooks: dict = {}
    for role in ROLES:  # each form once, by the first role that has it
        client, found = crawled[role]
        workbooks |= found.workbooks
        for key, form in found.forms.items():
            forms.setdefault(key, (client, form))
    problems = _hostile_posts([forms[k] for k in sorted(forms)], hostile.file_strategy(workbooks))
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, "\n".join(f"{k}: {v[0]}" for k, v in problems.items())
    for client, _found in crawled.values():  # no form posted logged a role out
        assert client.get(reverse("home")).status_code == 200
