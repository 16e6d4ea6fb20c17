"""The role × page matrix: every page in the navigation of any app, for every role.

A role that holds the page's permission gets the page; a role that does not gets 403 (never a
500, never the page), and an anonymous visitor is sent to the login page.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import NoReverseMatch, resolve, reverse

from rescue_station.navigation import nav_for
from rescue_station.roles import Role


def _nav_pages() -> list[tuple[str, str | None]]:
    pages = []
    for config in apps.get_app_configs():
        for url_name, _label, perm in getattr(config, "nav_items", []):
            try:
                reverse(url_name)
            except NoReverseMatch:
                continue
            pages.append((url_name, perm))
    return pages


PAGES = _nav_pages()


def test_the_matrix_covers_pages_of_the_core():
    assert ("dashboard", "rescue_station.view_dashboard") in PAGES


@pytest.mark.parametrize(("url_name", "perm"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_gets_exactly_the_pages_it_may_use(client_for, users, role, url_name, perm):
    response = client_for(role).get(reverse(url_name))
    allowed = perm is None or users[role].has_perm(perm)
    assert response.status_code == (200 if allowed else 403), (role, url_name)


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "perm"), PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_visitors_are_sent_to_log_in(url_name, perm):
    response = Client().get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Which apps each role finds in its navigation ("" is the core: home, dashboard, access log).
NAV_APPS = {
    "station_staff": {"", "cases", "dashboards"},
    "minors_worker": {"", "minors"},
    "finance_officer": {"", "budget", "performance", "dashboards"},
    "supervisor": {"", "cases", "minors", "budget", "performance", "dashboards"},
    "bureau_supervisor": {"", "budget", "performance", "dashboards"},
    "admin": {"", "cases", "minors", "budget", "performance", "dashboards"},
}


def _nav_apps(user) -> set[str]:
    return {resolve(item.url).namespace for item in nav_for(user)}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_finds_the_apps_of_its_work(users, role):
    assert _nav_apps(users[role]) == NAV_APPS[role]


def test_a_bureau_user_granted_case_inspection_finds_cases_and_minors(users):
    bureau = users["bureau_supervisor"]
    bureau.user_permissions.add(Permission.objects.get(codename="inspect_cases"))
    bureau = type(bureau).objects.get(pk=bureau.pk)
    assert _nav_apps(bureau) == NAV_APPS["bureau_supervisor"] | {"cases", "minors"}
    client = Client()
    client.force_login(bureau)
    for url_name, perm in PAGES:
        if url_name.split(":")[0] in ("cases", "minors") and perm.split(".")[1].startswith("view_"):
            assert client.get(reverse(url_name)).status_code == 200, url_name
