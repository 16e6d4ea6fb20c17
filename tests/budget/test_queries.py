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
        spend(line, "10.00")


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


# ---- formula-like text in the exports --------------------------------------------------------

FORMULA = '=HYPERLINK("http://x","y")'


def _formulas(content: bytes) -> list[str]:
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
        or (
            isinstance(cell.value, str)
            and cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
            and not cell.quotePrefix
        )
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/budget/export/?year=2024",
        "/budget/templates/lines.xlsx?year=2024",
        "/budget/templates/expenditures.xlsx?year=2024",
    ],
)
def test_it_writes_no_formula_from_text_in_the_exports(
    url, station, client_for, make_line, make_project, spend
):
    station.name = "=1+1站"
    station.save()
    project = make_project(station, 2024, name=FORMULA, basis_document="-1+1")
    line = make_line(
        station, 2024, nature=Nature.PROJECT, project=project, adjusted="10", description="+1"
    )
    spend(line, "1.00", voucher="=1+1")
    response = client_for("finance_officer").get(url)
    assert response.status_code == 200
    assert _formulas(response.content) == []


def test_it_shows_a_line_and_a_project_in_a_fixed_number_of_queries(
    station, client_for, make_line, make_project, spend, django_assert_max_num_queries
):
    client = client_for("finance_officer")
    project = make_project(station, 2024)

    def add(n: int) -> None:
        for _i in range(n):
            line = make_line(station, 2024, nature=Nature.PROJECT, project=project, adjusted="9")
            spend(line, "1.00")
            spend(first, "1.00")

    first = make_line(station, 2024, nature=Nature.PROJECT, project=project, adjusted="9")
    urls = [
        reverse("budget:line_detail", args=[first.pk]),
        reverse("budget:project_detail", args=[project.pk]),
    ]
    add(3)
    few = [_count(client, url) for url in urls]
    add(20)
    for url, bound in zip(urls, few, strict=True):
        with django_assert_max_num_queries(bound):
            client.get(url)
