"""Factories for the cases tests: small hand-made records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from cases.models import Person, Stay
from rescue_station.models import Station

TZ = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


@pytest.fixture
def make_stay(db) -> Callable[..., Stay]:
    """A stay admitted on ``admitted`` (a date) and left on ``left`` (a date or None)."""

    def make(
        station: Station,
        admitted: date,
        left: date | None = None,
        *,
        person: Person | None = None,
        **fields,
    ) -> Stay:
        person = person or Person.objects.create(station=station, name="张三")
        fields.setdefault("source", "self")
        if left is not None:
            fields.setdefault("exit_type", "left_by_choice")
        return Stay.objects.create(
            station=station,
            person=person,
            admitted_at=at(admitted),
            admitted_on=admitted,
            left_at=at(left, 16) if left else None,
            left_on=left,
            **fields,
        )

    return make


@pytest.fixture
def freeze_today(monkeypatch) -> Callable[[date], None]:
    """Make local_today() (and so the metrics' "today") return the given date."""

    def freeze(day: date) -> None:
        monkeypatch.setattr("rescue_station.selectors.local_today", lambda: day)

    return freeze
