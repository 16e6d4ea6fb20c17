"""Fixtures of the minors tests: children, and cases on a minor's stay (tests.factories builds
the stays, with the ORM: the cases service is another app's)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest

from minors.models import Child, MinorCase
from minors.services import minor_case_open, minor_case_open_for_stay
from tests.factories import StayFactory

_seq = itertools.count(1)


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
    stay = StayFactory(
        station=station, admitted_on=date(2024, 3, 1), is_minor=True, person__name="小红"
    )
    return minor_case_open_for_stay(stay=stay, acting_user=users["minors_worker"])


@pytest.fixture
def other_case(other_station, make_user) -> MinorCase:
    stay = StayFactory(
        station=other_station, admitted_on=date(2024, 3, 1), is_minor=True, person__name="外站"
    )
    return minor_case_open_for_stay(stay=stay, acting_user=None)


@pytest.fixture
def child_case(station, users, make_child) -> MinorCase:
    child = make_child(station, name="小明")
    return minor_case_open(
        station=station, child=child, reason="other", acting_user=users["minors_worker"]
    )
