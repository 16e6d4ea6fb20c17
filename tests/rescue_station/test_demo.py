from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from rescue_station.models import Station, User
from rescue_station.roles import Role
from rescue_station.services import access_log_write


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if not m._meta.label.startswith(("sessions.", "admin."))
    }


@pytest.mark.django_db(transaction=False)
def test_load_demo_twice_gives_the_same_counts(settings):
    call_command("load_demo", stdout=StringIO())
    first = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first
    # A read logged on the demo station goes with the demo's records on reset.
    access_log_write(
        user=User.objects.get(username="supervisor"),
        station_id=Station.objects.get(code="zhuzhou").pk,
        record_label="演示",
    )
    call_command("load_demo", "--reset", stdout=StringIO())
    after_reset = _counts()
    # History rows record every write, so only the records themselves are compared after a reset.
    assert {k: v for k, v in after_reset.items() if ".Historical" not in k} == {
        k: v for k, v in first.items() if ".Historical" not in k
    }


@pytest.mark.django_db
def test_load_demo_creates_the_station_and_one_login_per_role(settings):
    settings.DEMO_PASSWORD = "demo-pass-42"
    call_command("load_demo", stdout=StringIO())
    station = Station.objects.get(code="zhuzhou")
    assert station.name == "株洲市救助管理站"
    for role in Role:
        user = authenticate(
            RequestFactory().post("/accounts/login/"), username=role.value, password="demo-pass-42"
        )
        assert user is not None and user.role == role.value
        assert user.memberships.filter(station=station).exists()
