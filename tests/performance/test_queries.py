"""The framework and form pages keep a fixed number of queries whatever the number of lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.models import Indicator
from performance.services import framework_create

pytestmark = pytest.mark.django_db


def _lines(framework, n: int) -> None:
    start = framework.indicators.count()
    for i in range(start, start + n):
        Indicator.objects.create(
            framework=framework,
            order=i,
            level1="产出指标",
            level2="数量指标",
            name=f"指标{i}",
            comparator=">=",
            target="10",
            unit="次",
            weight=Decimal("1"),
            manual_actual="12",
        )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["framework", "form", "xlsx", "json", "framework_export"])
def test_it_shows_the_framework_in_a_fixed_number_of_queries(
    name, station, users, client_for, django_assert_max_num_queries
):
    framework = framework_create(station=station, year=2024, acting_user=users["admin"])
    client = client_for("finance_officer")
    url = reverse(f"performance:{name}", args=[framework.pk])
    _lines(framework, 5)
    few = _count(client, url)
    _lines(framework, 25)
    with django_assert_max_num_queries(few):
        client.get(url)


def test_it_lists_the_frameworks_in_a_fixed_number_of_queries(
    station, users, client_for, django_assert_max_num_queries
):
    client = client_for("finance_officer")
    url = reverse("performance:index")
    for year in (2020, 2021):
        framework_create(station=station, year=year, acting_user=users["admin"])
    few = _count(client, url)
    for year in range(2010, 2016):
        framework_create(station=station, year=year, acting_user=users["admin"])
    with django_assert_max_num_queries(few):
        client.get(url)


@pytest.mark.parametrize("name", ["xlsx", "framework_export"])
def test_it_writes_no_formula_from_text_in_the_exports(name, station, users, client_for):
    from tests.budget.test_queries import _formulas

    framework = framework_create(station=station, year=2024, acting_user=users["admin"])
    Indicator.objects.create(
        framework=framework,
        level1="=产出指标",
        level2="+数量指标",
        name='=HYPERLINK("http://x","y")',
        comparator="qualitative",
        target="@提升",
        unit="-次",
        weight=Decimal("1"),
        manual_actual="=提升",
        evidence="+1",
        deviation="-1",
        measure="@SUM(1)",
    )
    response = client_for("finance_officer").get(
        reverse(f"performance:{name}", args=[framework.pk])
    )
    assert response.status_code == 200
    assert _formulas(response.content) == []
