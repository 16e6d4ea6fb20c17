import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_it_locks_a_username_after_repeated_wrong_passwords(users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "station_staff", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "station_staff", "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while the lock holds.
    response = client.post(reverse("login"), {"username": "station_staff", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


@pytest.mark.django_db
def test_a_lock_on_one_username_leaves_the_others_alone(users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "station_staff", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "supervisor", "password": PASSWORD})
    assert response.status_code == 302
