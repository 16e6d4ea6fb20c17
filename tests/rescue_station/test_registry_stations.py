"""Many stations in one query per metric group: the figures of each station are those of the
one-station call, and the number of queries does not grow with the number of stations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Person, Stay, StreetPatrol
from demo import stations as demo
from rescue_station import registry
from rescue_station.models import Station
from tests.factories import at

TODAY = date(2026, 11, 26)


@pytest.fixture
def stations(station, other_station, monkeypatch):
    """The demo on the first station, two stays and a patrol on the second, nothing on a third."""
    monkeypatch.setattr("rescue_station.selectors.local_today", lambda: TODAY)
    Station.objects.filter(pk=station.pk).update(is_demo=True)  # the demo takes this station
    demo.load(today=TODAY)
    for admitted, left in ((date(2024, 3, 1), date(2024, 3, 5)), (date(2024, 7, 30), None)):
        person = Person.objects.create(station=other_station, name="李四")
        Stay.objects.create(
            station=other_station,
            person=person,
            admitted_at=at(admitted),
            admitted_on=admitted,
            left_at=at(left, 16) if left else None,
            left_on=left,
            exit_type="escorted_home" if left else "",
            source="police",
            temperature=Decimal("36.5"),
        )
    StreetPatrol.objects.create(
        station=other_station, patrol_date=date(2024, 5, 1), area="火车站", persons_met=3
    )
    empty = Station.objects.create(name="空站", code="empty", region_code="430400")
    return [station, other_station, empty]


def _count(func) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return len(ctx.captured_queries), result


def test_each_station_gets_the_figures_of_the_one_station_call(stations):
    keys = [m.key for m in registry.all_metrics()]
    start, end = date(2024, 1, 1), date(2024, 7, 31)
    many = registry.compute_for_stations(keys, stations, start, end)
    for station in stations:
        assert many[station.pk] == registry.compute_many(keys, station, start, end), station.code
    assert many[stations[1].pk]["cases.intakes"] == 2
    assert (
        many[stations[1].pk]["cases.person_days"] == 4 + 2
    )  # 1–5 March; 30 July to the period's end
    assert many[stations[1].pk]["cases.street_patrols"] == 1
    assert many[stations[2].pk]["cases.intakes"] == 0
    assert many[stations[2].pk]["cases.temperature_check_rate"] is None
    assert many[stations[2].pk]["budget.executed"] == Decimal("0.00")


def test_the_queries_do_not_grow_with_the_number_of_stations(stations):
    keys = [m.key for m in registry.all_metrics()]
    start, end = date(2024, 1, 1), date(2024, 12, 31)
    one, _ = _count(lambda: registry.compute_for_stations(keys, stations[:1], start, end))
    three, _ = _count(lambda: registry.compute_for_stations(keys, stations, start, end))
    assert three == one
    groups = {registry.get(k).group for k in keys}
    assert one <= len(groups) + 3  # one query a group; the minors' registry group runs three
