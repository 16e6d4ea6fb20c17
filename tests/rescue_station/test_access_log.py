"""The core access log: its service, and the station head's page (columns, filters, paging)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from rescue_station.models import AccessLog
from rescue_station.services import access_log_write
from tests.factories import TZ


@pytest.fixture
def entries(users, station, other_station):
    worker, staff = users["minors_worker"], users["station_staff"]
    made = [
        access_log_write(
            user=worker,
            station_id=station.pk,
            record_type="minors.child",
            record_id=7,
            record_label="小芳",
            path="/minors/children/7/",
            list_name="minors:child_detail",
        ),
        access_log_write(
            user=staff,
            station_id=station.pk,
            kind="export",
            record_type="cases.stay",
            path="/cases/stays/export/",
            list_name="cases:stay_export",
            query="q=张三",
            row_count=12,
        ),
        access_log_write(
            user=worker,
            station_id=other_station.pk,
            record_type="minors.child",
            record_id=8,
            record_label="外站儿童",
        ),
    ]
    AccessLog.objects.filter(pk=made[0].pk).update(accessed_at=datetime(2024, 3, 1, 9, tzinfo=TZ))
    return made


def _shown(client, **query) -> list[AccessLog]:
    response = client.get(reverse("access_log"), query)
    assert response.status_code == 200
    return list(response.context["page_obj"])


def test_it_writes_a_row_cutting_long_text_to_its_column(users, station):
    entry = access_log_write(
        user=users["supervisor"],
        station_id=station.pk,
        kind="list",
        list_name="cases:stay_list",
        query="q=" + "张" * 600,
    )
    entry.refresh_from_db()
    assert len(entry.query) == 500 and entry.kind == "list" and entry.accessed_at


def test_it_refuses_an_unknown_kind(users, station):
    with pytest.raises(ValueError):
        access_log_write(user=users["supervisor"], station_id=station.pk, kind="glance")


def test_the_station_head_reads_the_log_of_her_stations_with_every_column(client_for, entries):
    client = client_for("supervisor")
    assert _shown(client) == [entries[1], entries[0]]  # newest first; not the other station's
    page = client.get(reverse("access_log")).content.decode()
    for text in (
        "导出",
        "救助记录（导出 Excel）",  # the page by its name
        "q=张三",
        "12",
        "小芳",
        "台账儿童",
        "/minors/children/7/",
    ):
        assert text in page, text
    assert "cases:stay_export" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "export"}, [1]),
        ({"kind": "record"}, [0]),
        ({"record_type": "minors.child"}, [0]),
        ({"user": "station_staff"}, [1]),
        ({"q": "小芳"}, [0]),
        ({"q": "张三"}, [1]),
        ({"start": "2024-03-01", "end": "2024-03-01"}, [0]),
        ({"end": "2024-02-29"}, []),
    ],
)
def test_it_filters_the_log(client_for, entries, query, expected):
    assert _shown(client_for("supervisor"), **query) == [entries[i] for i in expected]


def test_it_pages_the_log(client_for, users, station, settings):
    settings.PAGE_SIZE = 2
    for i in range(5):
        access_log_write(user=users["minors_worker"], station_id=station.pk, record_label=f"r{i}")
    client = client_for("supervisor")
    assert [e.record_label for e in _shown(client)] == ["r4", "r3"]
    assert [e.record_label for e in _shown(client, page=3)] == ["r0"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("supervisor", 200),
        ("admin", 200),
        ("station_staff", 403),
        ("minors_worker", 403),
        ("finance_officer", 403),
        ("bureau_supervisor", 403),
    ],
)
def test_only_station_heads_and_admins_read_the_log(client_for, role, status):
    assert client_for(role).get(reverse("access_log")).status_code == status


def test_nobody_edits_the_log_in_the_django_admin(client_for, entries):
    client = client_for("admin")
    assert client.get(reverse("admin:rescue_station_accesslog_changelist")).status_code == 200
    url = reverse("admin:rescue_station_accesslog_delete", args=[entries[0].pk])
    client.post(url, {"post": "yes"})
    assert AccessLog.objects.filter(pk=entries[0].pk).exists()
