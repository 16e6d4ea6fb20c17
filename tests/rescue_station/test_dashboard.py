from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from rescue_station import registry, selectors
from rescue_station.registry import Kind


@pytest.fixture
def station_code_metric():
    @registry.register("testdash.code_length", label="代码长度", unit="个", kind=Kind.COUNT)
    def code_length(station, start, end):
        """The length of the station's code (a figure that differs by station)."""
        return Decimal(len(station.code)) + (end - start).days

    yield
    registry.unregister("testdash.code_length")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("supervisor", 200),
        ("bureau_supervisor", 200),
        ("finance_officer", 200),
        ("station_staff", 403),
        ("minors_worker", 403),
    ],
)
def test_the_dashboard_is_for_roles_that_watch_figures(client_for, role, status):
    assert client_for(role).get(reverse("dashboard")).status_code == status


def test_it_shows_each_station_of_the_user_side_by_side(
    station_code_metric, make_user, station, other_station, monkeypatch
):
    monkeypatch.setattr(selectors, "local_today", lambda: date(2026, 3, 1))
    monkeypatch.setattr("rescue_station.views.local_today", lambda: date(2026, 3, 1))
    user = make_user("bureau_supervisor", station, other_station)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("dashboard"), {"year": "2025"})
    row = next(r for r in response.context["rows"] if r.metric.key == "testdash.code_length")
    stations = response.context["stations"]
    expected = {"zhuzhou": str(7 + 364), "xiangtan": str(8 + 364)}
    assert row.values == [expected[s.code] for s in stations]
    # The current year runs to today only.
    response = client.get(reverse("dashboard"))
    assert response.context["end"] == date(2026, 3, 1)


def test_it_shows_no_station_the_user_is_not_a_member_of(client_for, other_station):
    response = client_for("supervisor").get(reverse("dashboard"))
    assert other_station not in response.context["stations"]
    assert other_station.name not in response.content.decode()


def test_a_year_that_is_not_a_number_answers_400_saying_why(settings, client_for):
    settings.DEBUG = False
    response = client_for("supervisor").get(reverse("dashboard"), {"year": "abc"})
    assert response.status_code == 400
    assert "年份须在" in response.content.decode()


def test_money_shows_in_wan_yuan(make_user, station):
    @registry.register("testdash.spent", label="支出", unit="元", kind=Kind.MONEY)
    def spent(station, start, end):
        """Spent: 10,827,800 yuan."""
        return Decimal("10827800.00")

    try:
        rows = selectors.dashboard_matrix([station], date(2024, 1, 1), date(2024, 12, 31))
        row = next(r for r in rows if r.metric.key == "testdash.spent")
        assert (row.unit, row.values) == ("万元", ["1,082.78"])
    finally:
        registry.unregister("testdash.spent")
