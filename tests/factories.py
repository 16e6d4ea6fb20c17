"""The one way the tests build records: factory_boy factories, and the station's clock.

``at(day, hour)`` is a moment of a local day in the station's time zone. The factories build
records the way the existing tests did (with the ORM, not through the services, so that no
signal runs that a test does not ask for) and keep the rules the forms check: a person's birth
date and sex agree with the ID number; a stay's ``is_minor`` is the product's ``is_minor_on`` on
the admission date; a departed stay has a departure type.

    StayFactory(station=station, admitted_on=date(2024, 5, 1))
    StayFactory(station=station, admitted_on=day, left_on=day2, person__birth_date=born)
    UserFactory(role="station_staff", stations=[station])
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import factory
from django.conf import settings
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from cases.models import (
    ExitType,
    GatheringArea,
    LongStay,
    Person,
    SafetyCheck,
    SafetyIncident,
    SafetyItem,
    Source,
    Stay,
)
from cases.services import is_minor_on
from rescue_station.models import Station, User
from rescue_station.services import membership_grant, roles_sync, user_set_role

TZ = ZoneInfo(settings.TIME_ZONE)

PASSWORD = "test-pass-123"


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """``hour`` o'clock of ``day`` in the station's time zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


class StationFactory(DjangoModelFactory):
    class Meta:
        model = Station
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试市救助管理站{n}")
    code = factory.Sequence(lambda n: f"station{n}")
    region_code = factory.Sequence(lambda n: f"43{n % 10000:04d}")
    region_name = factory.Sequence(lambda n: f"测试市{n}")
    parent_bureau = factory.LazyAttribute(lambda o: o.region_name + "民政局")


class UserFactory(DjangoModelFactory):
    """A user with one role (its group's permissions) and a membership of each of ``stations``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.LazyAttributeSequence(lambda o, n: o.role or f"user{n}")
    role = ""

    @classmethod
    def _create(cls, model_class, *args, role: str = "", **kwargs):
        password = kwargs.pop("password", PASSWORD)
        user = model_class.objects.create_user(*args, password=password, **kwargs)
        if role:
            if not Group.objects.filter(name=role, permissions__isnull=False).exists():
                roles_sync()
            user_set_role(user=user, role=role)
        return user

    @factory.post_generation
    def stations(self, create: bool, extracted, **kwargs) -> None:
        for station in extracted or ():
            membership_grant(user=self, station=station)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    station = factory.SubFactory(StationFactory)
    name = factory.Sequence(lambda n: f"测试{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = model_class(*args, **kwargs)
        # Fills the birth date and sex an ID number encodes, refuses the ones it contradicts.
        person.full_clean(exclude=["station", "photo"])
        person.save()
        return person


class StayFactory(DjangoModelFactory):
    """A stay admitted at 10:00 on ``admitted_on``; with ``left_on``, left at 16:00 that day."""

    class Meta:
        model = Stay

    station = factory.SubFactory(StationFactory)
    person = factory.SubFactory(PersonFactory, station=factory.SelfAttribute("..station"))
    admitted_on = date(2024, 5, 1)
    admitted_at = factory.LazyAttribute(lambda o: at(o.admitted_on))
    left_on = None
    left_at = factory.LazyAttribute(lambda o: at(o.left_on, 16) if o.left_on else None)
    exit_type = factory.LazyAttribute(lambda o: ExitType.LEFT_BY_CHOICE if o.left_on else "")
    source = Source.SELF
    is_minor = factory.LazyAttribute(lambda o: is_minor_on(o.person, o.admitted_on))


class LongStayFactory(DjangoModelFactory):
    """A person kept long (no placement: a placement names an institution)."""

    class Meta:
        model = LongStay

    station = factory.SubFactory(StationFactory)
    person = factory.SubFactory(PersonFactory, station=factory.SelfAttribute("..station"))
    hukou_registered_on = date(2024, 1, 15)


class GatheringAreaFactory(DjangoModelFactory):
    class Meta:
        model = GatheringArea

    station = factory.SubFactory(StationFactory)
    name = factory.Sequence(lambda n: f"火车站广场{n}")


class SafetyCheckFactory(DjangoModelFactory):
    class Meta:
        model = SafetyCheck

    station = factory.SubFactory(StationFactory)
    checked_on = date(2024, 5, 1)
    item = SafetyItem.FIRE
    checked_by = "李四"


class SafetyIncidentFactory(DjangoModelFactory):
    class Meta:
        model = SafetyIncident

    station = factory.SubFactory(StationFactory)
    occurred_on = date(2024, 5, 1)
    kind = "跌倒"
    description = "受助人在走廊跌倒，未受伤。"
