"""The benchmark station's records, generated once (deterministic)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cases.models import Person, Source, Stay
from rescue_station.models import Station

TZ = ZoneInfo("Asia/Shanghai")
BATCH = 5000


def bench_station(stays: int) -> Station:
    """A station with ``stays`` stays spread over 2023-2025 (built only when missing)."""
    station, _ = Station.objects.get_or_create(
        code="bench",
        defaults={"name": "基准测试救助站", "region_code": "439900", "region_name": "基准"},
    )
    have = Stay.objects.filter(station=station).count()
    if have >= stays:
        return station
    rng = random.Random(42)
    first = date(2023, 1, 1)
    sources = [s.value for s in Source]
    for offset in range(have, stays, BATCH):
        count = min(BATCH, stays - offset)
        persons = Person.objects.bulk_create(
            Person(station=station, name=f"基准{offset + i}") for i in range(count)
        )
        rows = []
        for person in persons:
            admitted_on = first + timedelta(days=rng.randrange(3 * 365))
            nights = rng.choice([0, 0, 1, 2, 3, 5, 9, 14])
            admitted_at = datetime.combine(admitted_on, time(10), tzinfo=TZ)
            left_at = admitted_at + timedelta(days=nights, hours=rng.randrange(1, 8))
            rows.append(
                Stay(
                    station=station,
                    person=person,
                    admitted_at=admitted_at,
                    admitted_on=admitted_on,
                    source=rng.choice(sources),
                    left_at=left_at,
                    left_on=left_at.date(),
                    exit_type="left_by_choice",
                )
            )
        Stay.objects.bulk_create(rows)
    return station
