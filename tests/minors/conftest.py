"""Factories of the minors tests: stays are made with the ORM (the cases service is another app's)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from cases.models import Gender, Person, Source, Stay
from minors.models import Child, MinorCase
from minors.services import minor_case_open, minor_case_open_for_stay

_seq = itertools.count(1)


def is_minor_at(birth_date: date, day: date) -> bool:
    """Under 18 on ``day``: the 18th birthday has not come yet (29 February → 1 March)."""
    try:
        birthday_18 = birth_date.replace(year=birth_date.year + 18)
    except ValueError:
        birthday_18 = date(birth_date.year + 18, 3, 1)
    return day < birthday_18


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def create_stay(
    station,
    *,
    admitted_on: date,
    birth_date: date | None = None,
    minor: bool | None = None,
    gender: str = Gender.FEMALE,
    source: str = Source.POLICE,
    name: str = "",
    left_on: date | None = None,
) -> Stay:
    person = Person.objects.create(
        station=station, name=name or f"测试{next(_seq)}", gender=gender, birth_date=birth_date
    )
    if minor is None:
        minor = is_minor_at(birth_date, admitted_on) if birth_date else False
    return Stay.objects.create(
        station=station,
        person=person,
        admitted_at=at(admitted_on),
        admitted_on=admitted_on,
        source=source,
        is_minor=minor,
        left_at=at(left_on, 15) if left_on else None,
        left_on=left_on,
    )


@pytest.fixture
def make_stay() -> Callable[..., Stay]:
    return create_stay


@pytest.fixture
def make_child(users) -> Callable[..., Child]:
    def make(station, **fields) -> Child:
        fields.setdefault("name", f"儿童{next(_seq)}")
        fields.setdefault("category", "left_behind")
        fields.setdefault("registered_on", date(2024, 1, 1))
        return Child.objects.create(station=station, **fields)

    return make


@pytest.fixture
def minor_case(station, users) -> MinorCase:
    stay = create_stay(station, admitted_on=date(2024, 3, 1), minor=True, name="小红")
    return minor_case_open_for_stay(stay=stay, acting_user=users["minors_worker"])


@pytest.fixture
def other_case(other_station, make_user) -> MinorCase:
    stay = create_stay(other_station, admitted_on=date(2024, 3, 1), minor=True, name="外站")
    return minor_case_open_for_stay(stay=stay, acting_user=None)


@pytest.fixture
def child_case(station, users, make_child) -> MinorCase:
    child = make_child(station, name="小明")
    return minor_case_open(
        station=station, child=child, reason="other", acting_user=users["minors_worker"]
    )
