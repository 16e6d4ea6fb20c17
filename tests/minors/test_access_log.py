"""The minors' lists that name minors are logged: one row per request, the list and its filter."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from minors.models import Activity, MandatoryReport
from rescue_station.models import AccessLog


def _rows():
    return list(AccessLog.objects.order_by("pk"))


@pytest.mark.parametrize(
    ("name", "query", "record_type"),
    [
        ("minors:cases", {"q": "小红", "status": "open"}, "minors.minorcase"),
        ("minors:reports", {"q": "RC-1"}, "minors.mandatoryreport"),
        ("minors:children", {"q": "小芳", "category": "left_behind"}, "minors.child"),
    ],
)
def test_a_list_naming_minors_logs_one_row_per_request(
    client_for, users, station, minor_case, make_child, name, query, record_type
):
    make_child(station, name="小芳")
    MandatoryReport.objects.create(
        case=minor_case,
        suspicion="侵害",
        reported_at=timezone.now(),
        recipient="police",
        receipt_no="RC-1",
    )
    client = client_for("minors_worker")
    client.get(reverse(name), query)
    client.get(reverse(name), query)
    rows = _rows()
    assert len(rows) == 2
    expected_query = "&".join(f"{k}={v}" for k, v in query.items())
    assert {
        (r.user, r.station, r.kind, r.list_name, r.record_type, r.query, r.row_count) for r in rows
    } == {(users["minors_worker"], station, "list", name, record_type, expected_query, 1)}


def test_a_list_that_shows_no_name_logs_nothing(client_for, minor_case):
    client = client_for("minors_worker")
    assert client.get(reverse("minors:cases"), {"q": "无此人"}).status_code == 200
    assert client.get(reverse("minors:children")).status_code == 200  # nobody registered
    assert client.get(reverse("minors:activities")).status_code == 200  # no names
    assert client.get(reverse("minors:figures")).status_code == 200
    assert not AccessLog.objects.exists()


def test_an_activity_naming_children_is_logged_one_naming_none_is_not(
    client_for, users, station, make_child
):
    named = Activity.objects.create(
        station=station, kind="camp", title="夏令营", held_on=date(2024, 7, 1), participants=3
    )
    named.children.add(make_child(station, name="小芳"))
    anonymous = Activity.objects.create(
        station=station, kind="class", title="讲座", held_on=date(2024, 7, 2), participants=30
    )
    client = client_for("minors_worker")
    assert "小芳" in client.get(reverse("minors:activity_detail", args=[named.pk])).content.decode()
    client.get(reverse("minors:activity_detail", args=[anonymous.pk]))
    [row] = _rows()
    assert (row.record_type, row.record_id, row.user) == (
        "minors.activity",
        named.pk,
        users["minors_worker"],
    )
