"""Bad input through the pages changes nothing and says why in Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import Expenditure, Nature

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amount", "day", "message"),
    [("-5.00", "2024-06-01", "金额"), ("5.00", "2025-01-02", "年度")],
)
def test_it_refuses_a_bad_expenditure_and_records_nothing(
    amount, day, message, station, client_for, make_line
):
    line = make_line(station, 2024, nature=Nature.PERSONNEL, adjusted="100")
    response = client_for("finance_officer").post(
        reverse("budget:expenditure_create"),
        {"line": line.pk, "date": day, "amount": amount, "voucher_no": "记-1"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Expenditure.objects.exists()


def test_it_refuses_a_line_of_another_station_in_the_form(
    station, other_station, client_for, make_line
):
    other = make_line(other_station, 2024, adjusted="100")
    response = client_for("finance_officer").post(
        reverse("budget:expenditure_create"),
        {"line": other.pk, "date": "2024-06-01", "amount": "5", "voucher_no": "记-1"},
    )
    assert response.status_code == 200
    assert not Expenditure.objects.exists()


def test_it_refuses_moving_an_expenditure_onto_another_stations_line(
    station, other_station, client_for, make_line, spend
):
    mine = make_line(station, 2024, adjusted="100")
    other = make_line(other_station, 2024, adjusted="100")
    expenditure = spend(mine, "5.00")
    response = client_for("finance_officer").post(
        reverse("budget:expenditure_edit", args=[expenditure.pk]),
        {
            "line": other.pk,
            "date": "2024-06-01",
            "amount": "7",
            "voucher_no": "记-1",
            "version": expenditure.version,
        },
    )
    # A recorded payment's line and amount are not fields of its edit form any more (they change
    # only by voiding it): what is posted for them is ignored, the rest saved.
    assert response.status_code == 302
    expenditure.refresh_from_db()
    assert (expenditure.line_id, expenditure.amount) == (mine.pk, Decimal("5.00"))
    assert not other.expenditures.exists()
