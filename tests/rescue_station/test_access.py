import pytest
from django.test import Client
from django.urls import reverse

from rescue_station.roles import Role
from tests.factories import PASSWORD


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "password_change", "admin:index"])
def test_anonymous_users_are_sent_to_the_login_page(name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_the_login_page_health_check_language_switch_and_static_files_are_open():
    client = Client()
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.get("/static/css/app.css").status_code == 200


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_sees_its_home_page(client_for, role):
    assert client_for(role).get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(r.value, r == Role.ADMIN) for r in Role],
)
def test_only_the_admin_role_reaches_the_django_admin(client_for, role, allowed):
    response = client_for(role).get(reverse("admin:index"))
    assert (response.status_code == 200) is allowed


def test_the_dashboard_shows_only_to_roles_that_hold_it(client_for, station):
    assert client_for("supervisor").get("/").context["dashboards"][0][0] == station
    assert client_for("station_staff").get("/").context["dashboards"] == []


def test_pages_carry_a_content_security_policy_without_inline_scripts(client_for):
    response = client_for("station_staff").get(reverse("home"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert b"<script>" not in response.content


def test_switching_station_takes_only_a_station_of_ones_own(make_user, station, other_station):
    user = make_user("bureau_supervisor", station)
    client = Client()
    client.force_login(user)
    client.post(reverse("station_select"), {"station": other_station.pk, "next": "/"})
    assert client.get("/").context["current_station"] == station


def test_switching_station_ignores_an_outside_next_url(make_user, station, other_station):
    user = make_user("bureau_supervisor", station, other_station)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("station_select"), {"station": other_station.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert client.get("/").context["current_station"] == other_station


def test_a_user_changes_their_password(users):
    client = Client()
    client.force_login(users["station_staff"])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-New-passw0rd-2026",
            "new_password2": "a-New-passw0rd-2026",
        },
    )
    assert response.status_code == 302
    users["station_staff"].refresh_from_db()
    assert users["station_staff"].check_password("a-New-passw0rd-2026")


def test_a_wrong_old_password_changes_nothing(users):
    client = Client()
    client.force_login(users["station_staff"])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "x-Y-z-12345678",
            "new_password2": "x-Y-z-12345678",
        },
    )
    assert response.status_code == 200
    assert "旧密码不正确" in response.content.decode()
    users["station_staff"].refresh_from_db()
    assert users["station_staff"].check_password(PASSWORD)
