"""rescue_station.bulk: many new records written as ``bulk_create`` writes them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from cases.models import Gender, HealthStatus, Person, Source, Stay
from rescue_station.bulk import bulk_insert
from rescue_station.roles import Role
from tests.factories import TZ

pytestmark = pytest.mark.django_db


def _write(station, write, user) -> list[Stay]:
    persons = [
        Person(
            station=station,
            name=f"测试{i}",
            gender=Gender.FEMALE if i % 2 else Gender.MALE,
            birth_date=date(1980, 1, i + 1) if i else None,
            estimated_age=None if i else 40,
            hometown="湖南省株洲市",
            identified=bool(i),
            placeholder_no="" if i else "无名氏-2025-0001",
        )
        for i in range(3)
    ]
    for person in persons:
        person.name_pinyin = "pinyin"  # as the service fills it (bulk_create fills its own)
    write(Person, persons)
    stays = [
        Stay(
            station=station,
            person=person,  # made just before: its pk is taken over on writing
            admitted_at=datetime(2025, 3, i + 1, 23, 30, tzinfo=TZ),
            admitted_on=date(2025, 3, i + 1),
            source=Source.POLICE,
            reason="务工未果\n身无分文",
            temperature=Decimal("36.6") if i else None,
            health_status=HealthStatus.GOOD,
            registered_by=user if i else None,
        )
        for i, person in enumerate(persons)
    ]
    write(Stay, stays)
    return stays


def _stored(stays: list[Stay]) -> list[tuple]:
    """What the database holds of the stays and their persons, but their own keys and times."""
    skip = {"id", "station", "person", "created_at", "name_pinyin"}
    rows = []
    for stay in Stay.objects.filter(pk__in=[s.pk for s in stays]).order_by("admitted_at"):
        for record in (stay, stay.person):
            rows.append(
                tuple(
                    (f.name, getattr(record, f.attname))
                    for f in record._meta.concrete_fields
                    if f.name not in skip
                )
            )
    return rows


def test_it_stores_what_bulk_create_stores(station, other_station, make_user):
    user = make_user(Role.STATION_STAFF.value, station)
    by_orm = _write(station, lambda model, objs: model._base_manager.bulk_create(objs), user)
    fast = _write(other_station, lambda model, objs: bulk_insert(model, objs, batch_size=2), user)
    assert _stored(fast) == _stored(by_orm)
    for stay in fast:
        assert stay.pk and not stay._state.adding
        assert stay.person_id == stay.person.pk and not stay.person._state.adding
        assert stay.created_at is not None  # auto_now_add, as bulk_create sets it


def test_it_refuses_a_related_record_not_yet_written(station):
    person = Person(station=station, name="未保存")
    stay = Stay(
        station=station,
        person=person,
        admitted_at=datetime(2025, 3, 1, 9, 0, tzinfo=TZ),
        admitted_on=date(2025, 3, 1),
        source=Source.SELF,
    )
    with pytest.raises(ValueError, match="unsaved related object"):
        bulk_insert(Stay, [stay])
    assert not Stay.objects.exists()
