"""Sessions end after an idle time and a few hours after login; a form posted late is not lost."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cases.models import GatheringArea
from rescue_station.middleware import LAST_SEEN, LOGIN_AT, PENDING_POST
from tests.factories import PASSWORD

AREA_NEW = "/cases/areas/new/"


def _age_session(client: Client, *, idle: float = 0, since_login: float = 0) -> None:
    """Move the session's clocks into the past, as if time had gone by."""
    session = client.session
    now = time.time()
    session[LAST_SEEN] = now - idle
    session[LOGIN_AT] = now - since_login
    session.save()


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _csrf_client(user) -> tuple[Client, str]:
    """A client that enforces CSRF like a browser, logged in through the login page."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    form = client.get(AREA_NEW)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode())[1]
    return client, token


def test_a_session_within_its_idle_time_goes_on_and_restarts_the_clock(client_for):
    client = client_for("station_staff")
    _age_session(client, idle=(settings.SESSION_IDLE_MINUTES - 1) * 60)
    assert client.get(reverse("cases:stay_list")).status_code == 200
    assert _logged_in(client)
    assert time.time() - client.session[LAST_SEEN] < 5


def test_a_session_idle_longer_than_the_limit_ends(client_for):
    client = client_for("station_staff")
    _age_session(client, idle=settings.SESSION_IDLE_MINUTES * 60 + 1)
    response = client.get(reverse("cases:stay_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not _logged_in(client)
    page = client.get(response["Location"])
    assert f"{settings.SESSION_IDLE_MINUTES} 分钟" in page.content.decode()


@pytest.mark.parametrize("minutes", [5])
def test_the_idle_time_is_a_setting(client_for, settings, minutes):
    settings.SESSION_IDLE_MINUTES = minutes
    client = client_for("station_staff")
    _age_session(client, idle=minutes * 60 + 1)
    assert client.get(reverse("cases:stay_list")).status_code == 302
    assert not _logged_in(client)


def test_an_active_session_still_ends_hours_after_login(client_for):
    client = client_for("station_staff")
    _age_session(client, idle=10, since_login=settings.SESSION_MAX_HOURS * 3600 + 1)
    response = client.get(reverse("cases:stay_list"))
    assert response.status_code == 302
    assert not _logged_in(client)


def test_asking_for_the_time_left_neither_extends_nor_ends_the_session(client_for):
    client = client_for("station_staff")
    idle = settings.SESSION_IDLE_MINUTES * 60 - 100
    _age_session(client, idle=idle)
    response = client.get(reverse("session_status"), HTTP_ACCEPT="application/json")
    assert 95 <= response.json()["remaining"] <= 100
    assert time.time() - client.session[LAST_SEEN] >= idle - 5
    _age_session(client, idle=settings.SESSION_IDLE_MINUTES * 60 + 1)
    assert client.get(reverse("session_status")).status_code == 401
    assert _logged_in(client)  # the next real request ends it, so that a posted form is kept


def test_continue_working_restarts_the_idle_clock(client_for):
    client = client_for("station_staff")
    _age_session(client, idle=settings.SESSION_IDLE_MINUTES * 60 - 60)
    response = client.post(reverse("session_keepalive"), HTTP_ACCEPT="application/json")
    assert response.json()["remaining"] >= settings.SESSION_IDLE_MINUTES * 60 - 5


def test_pages_carry_the_time_left_for_the_warning(client_for):
    client = client_for("station_staff")
    _age_session(client, idle=60)
    html = client.get(reverse("cases:stay_list")).content.decode()
    remaining = int(re.search(r'data-session-remaining="(\d+)"', html)[1])
    assert (
        settings.SESSION_IDLE_MINUTES * 60 - 65 <= remaining <= settings.SESSION_IDLE_MINUTES * 60
    )
    assert 'data-testid="session-warning"' in html


def test_a_form_posted_after_the_end_is_saved_after_logging_in_again(users, station):
    user = users["station_staff"]
    client, token = _csrf_client(user)
    _age_session(client, idle=settings.SESSION_IDLE_MINUTES * 60 + 5)
    response = client.post(
        AREA_NEW, {"name": "火车站广场", "active": "on", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert not GatheringArea.objects.exists()  # nothing saved while logged out
    assert response["Location"].startswith(reverse("login"))
    assert "session%2Fresume" in response["Location"] or "/session/resume/" in response["Location"]

    login_page = client.get(response["Location"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.content.decode())[1]
    response = client.post(
        response["Location"],
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response["Location"] == reverse("session_resume")
    resume = client.get(response["Location"]).content.decode()
    assert f'action="{AREA_NEW}"' in resume
    assert 'value="火车站广场"' in resume
    assert "data-resume" in resume
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', resume))
    assert client.post(AREA_NEW, fields).status_code == 302
    area = GatheringArea.objects.get()
    assert (area.name, area.station) == ("火车站广场", station)
    assert PENDING_POST not in client.session


def test_a_late_post_without_a_valid_csrf_token_is_not_kept(users):
    client, _token = _csrf_client(users["station_staff"])
    _age_session(client, idle=settings.SESSION_IDLE_MINUTES * 60 + 5)
    client.post(AREA_NEW, {"name": "伪造", "csrfmiddlewaretoken": "x" * 64})
    assert PENDING_POST not in client.session
    assert not _logged_in(client)


def test_a_kept_form_is_not_given_to_another_user(users, make_user, station):
    client, token = _csrf_client(users["station_staff"])
    _age_session(client, idle=settings.SESSION_IDLE_MINUTES * 60 + 5)
    client.post(AREA_NEW, {"name": "火车站广场", "csrfmiddlewaretoken": token})
    assert PENDING_POST in client.session
    other = make_user("station_staff", station, username="another_clerk")
    client.force_login(other)
    response = client.get(reverse("session_resume"))
    assert response.status_code == 302
    assert not GatheringArea.objects.exists()
    assert PENDING_POST not in client.session
