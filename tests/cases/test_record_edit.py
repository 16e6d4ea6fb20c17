"""The edit pages of a gathering area, a safety check, a safety incident and a long stay: the
station staff and the administrator edit, every other role gets 403 (the station head reads
them); a record of another station is a 404 and stays as it was; a record of the station saves
the form, counts a version and keeps who changed it in the history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import (
    GatheringAreaFactory,
    LongStayFactory,
    SafetyCheckFactory,
    SafetyIncidentFactory,
)


@dataclass(frozen=True)
class Page:
    factory: type
    back: str
    data: Callable[[Any], dict[str, Any]]
    saved: Callable[[Any], bool]


PAGES = {
    "cases:area_edit": Page(
        GatheringAreaFactory,
        "cases:patrol_list",
        lambda r: {"name": "汽车站东广场", "active": ""},
        lambda r: r.name == "汽车站东广场" and not r.active,
    ),
    "cases:safety_check_edit": Page(
        SafetyCheckFactory,
        "cases:safety_list",
        lambda r: {
            "checked_on": "2024-05-02",
            "item": "fire",
            "hazard_found": "on",
            "hazard": "二楼灭火器过期",
            "fixed_on": "2024-05-03",
            "checked_by": "李四",
        },
        lambda r: r.hazard_found and r.hazard == "二楼灭火器过期",
    ),
    "cases:incident_edit": Page(
        SafetyIncidentFactory,
        "cases:safety_list",
        lambda r: {
            "occurred_on": "2024-05-01",
            "kind": "跌倒",
            "description": "受助人在走廊跌倒，未受伤。",
            "measures": "已送医检查，走廊加装扶手",
        },
        lambda r: r.measures == "已送医检查，走廊加装扶手",
    ),
    "cases:long_stay_edit": Page(
        LongStayFactory,
        "cases:long_stay_list",
        lambda r: {
            "person": r.person_id,
            "hukou_registered_on": "2024-01-15",
            "special_hardship_enrolled_on": "2024-02-01",
            "institution": "",
            "placed_on": "",
            "ended_on": "",
            "note": "已纳入特困供养",
        },
        lambda r: r.note == "已纳入特困供养" and r.special_hardship_enrolled_on is not None,
    ),
}


def _post(client, name: str, record) -> Any:
    data = {**PAGES[name].data(record), "version": record.version}
    return client.post(reverse(name, args=[record.pk]), data)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("station_staff", 200),
        ("admin", 200),
        ("supervisor", 403),
        ("minors_worker", 403),
        ("finance_officer", 403),
        ("bureau_supervisor", 403),
    ],
)
def test_only_the_roles_that_keep_the_records_open_the_edit_page(
    client_for, station, name, role, status
):
    record = PAGES[name].factory(station=station)
    client = client_for(role)
    assert client.get(reverse(name, args=[record.pk])).status_code == status
    if status == 403:
        assert _post(client, name, record).status_code == 403
        record.refresh_from_db()
        assert not PAGES[name].saved(record)
        assert record.version == 0


@pytest.mark.parametrize("name", PAGES)
def test_a_record_of_another_station_is_not_found_and_stays_as_it_was(
    client_for, other_station, name
):
    theirs = PAGES[name].factory(station=other_station)
    changes = theirs.history.count()
    client = client_for("station_staff")
    assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert _post(client, name, theirs).status_code == 404
    theirs.refresh_from_db()
    assert not PAGES[name].saved(theirs)
    assert theirs.version == 0 and theirs.history.count() == changes


@pytest.mark.parametrize("name", PAGES)
def test_a_record_of_the_station_saves_with_its_history(client_for, users, station, name):
    record = PAGES[name].factory(station=station)
    client = client_for("station_staff")
    page = client.get(reverse(name, args=[record.pk]))
    assert page.status_code == 200 and page.context["form"].instance == record
    response = _post(client, name, record)
    assert response.status_code == 302
    assert response.url == reverse(PAGES[name].back)
    record.refresh_from_db()
    assert PAGES[name].saved(record)
    assert record.version == 1
    change = record.history.latest()
    assert change.history_user == users["station_staff"] and change.version == 1
