"""Readers (station head, bureau) and other roles cannot write budget records, by GET or POST."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budget.models import BudgetLine, Expenditure, Nature, Project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["supervisor", "bureau_supervisor", "minors_worker"])
def test_it_refuses_every_budget_write_to_readers(role, station, client_for, make_line, spend):
    line = make_line(station, 2024, nature=Nature.PROJECT, adjusted="10")
    expenditure = spend(line, "1.00")
    urls = [
        reverse("budget:project_create"),
        reverse("budget:project_edit", args=[line.project_id]),
        reverse("budget:line_create"),
        reverse("budget:line_edit", args=[line.pk]),
        reverse("budget:expenditure_create"),
        reverse("budget:expenditure_edit", args=[expenditure.pk]),
        reverse("budget:import_lines"),
        reverse("budget:import_expenditures"),
    ]
    counts = (Project.objects.count(), BudgetLine.objects.count(), Expenditure.objects.count())
    client = client_for(role)
    for url in urls:
        assert client.get(url).status_code == 403, url
        post = {"line": line.pk, "date": "2024-06-02", "amount": "5", "voucher_no": "记-9"}
        assert client.post(url, post).status_code == 403, url
    assert (
        Project.objects.count(),
        BudgetLine.objects.count(),
        Expenditure.objects.count(),
    ) == counts
