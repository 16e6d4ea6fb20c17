"""The budget pickers: lines for an expenditure, projects for a line, of the station only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budget.forms import ExpenditureForm
from budget.models import Nature

pytestmark = pytest.mark.django_db


def test_the_line_search_is_the_station_s_and_labels_name_project_source_nature(
    client_for, station, other_station, make_line, make_project
):
    project = make_project(station, name="寒冬送温暖")
    line = make_line(station, nature=Nature.PROJECT, project=project, code="2082002")
    make_line(
        other_station,
        nature=Nature.PROJECT,
        project=make_project(other_station, name="寒冬外站"),
        code="2082002",
    )
    response = client_for("finance_officer").get(reverse("budget:pick_lines"), {"q": "寒冬"})
    assert [row["value"] for row in response.json()] == [str(line.pk)]
    text = response.json()[0]["text"]
    assert text.startswith(f"#{line.pk} · 2024 · 2082002 · 寒冬送温暖 · ")
    assert str(line.source) in text and line.get_nature_display() in text


def test_the_project_search_is_refused_without_the_budget_permission(
    client_for, station, make_project
):
    make_project(station, name="寒冬送温暖")
    assert (
        client_for("station_staff").get(reverse("budget:pick_projects"), {"q": "寒"}).status_code
        == 403
    )
    ok = client_for("finance_officer").get(reverse("budget:pick_projects"), {"q": "寒"})
    assert [row["text"] for row in ok.json()] == ["寒冬送温暖 · 2024 · 2082002"]


def test_the_expenditure_form_refuses_another_station_s_line(station, other_station, make_line):
    outsider = make_line(other_station)
    form = ExpenditureForm(
        {"line": outsider.pk, "date": "2024-06-01", "amount": "10", "voucher_no": "记-1"},
        station=station,
    )
    assert not form.is_valid() and "line" in form.errors
