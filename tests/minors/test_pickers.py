"""The children picker: the current station's children, labels with birth year, village and
school, refused to roles that do not record minors' work, logged as a read of minors' names."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from minors.forms import ActivityForm
from rescue_station.models import AccessLog

pytestmark = pytest.mark.django_db

CHILDREN = reverse("minors:pick_children")


def test_two_children_of_the_same_name_differ_in_their_labels(
    client_for, station, other_station, make_child
):
    make_child(
        station, name="王梓轩", birth_date=date(2015, 4, 1), village="白兔潭村", school="一中"
    )
    make_child(station, name="王梓轩", birth_date=date(2012, 9, 9), village="石门村", school="二小")
    make_child(other_station, name="王梓轩外站")
    response = client_for("minors_worker").get(CHILDREN, {"q": "王梓"})
    texts = sorted(row["text"] for row in response.json())
    assert texts == ["王梓轩 · 2012 · 石门村 · 二小", "王梓轩 · 2015 · 白兔潭村 · 一中"]
    assert AccessLog.objects.filter(user__username="minors_worker", row_count=2).exists()


@pytest.mark.parametrize("role", ["station_staff", "finance_officer", "supervisor"])
def test_a_role_that_does_not_record_minors_work_gets_no_children(
    client_for, role, station, make_child
):
    make_child(station, name="王梓轩")
    assert client_for(role).get(CHILDREN, {"q": "王"}).status_code == 403


def test_the_activity_form_holds_the_chosen_children_only_and_refuses_others(
    station, other_station, make_child
):
    mine = [make_child(station, name=f"李{i:02}") for i in range(10)]
    outsider = make_child(other_station, name="外站儿童")
    activity = {"kind": "theme", "title": "读书会", "held_on": "2026-05-01", "sessions": 1}
    form = ActivityForm({**activity, "participants": 5, "children": [mine[3].pk]}, station=station)
    assert form.is_valid(), form.errors
    html = str(form["children"])
    assert "李03" in html and "李04" not in html
    refused = ActivityForm(
        {**activity, "participants": 5, "children": [mine[3].pk, outsider.pk]}, station=station
    )
    assert not refused.is_valid() and "children" in refused.errors
