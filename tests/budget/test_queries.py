"""Budget lists keep a fixed number of queries whatever the number of rows (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.models import Nature

pytestmark = pytest.mark.django_db

PAGES = [
    "budget:line_list",
    "budget:expenditure_list",
    "budget:project_list",
    "budget:execution",
    "budget:execution_export",
]


def _rows(station, make_line, spend, n: int) -> None:
    for i in range(n):
        line = make_line(
            station, 2024, nature=Nature.PROJECT, adjusted="100.00", description=f"行{i}"
        )
        spend(line, "10.00", voucher=f"记-{i}")


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", PAGES)
def test_it_shows_budget_lists_in_a_fixed_number_of_queries(
    name, station, client_for, make_line, spend, django_assert_max_num_queries
):
    client = client_for("finance_officer")
    url = reverse(name) + "?year=2024"
    _rows(station, make_line, spend, 5)
    few = _count(client, url)
    _rows(station, make_line, spend, 25)
    with django_assert_max_num_queries(few):
        client.get(url)
