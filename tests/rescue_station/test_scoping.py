from datetime import datetime

import pytest
from django.http import Http404

from cases.models import Person, Stay
from rescue_station.scoping import get_for_user_or_404
from tests.factories import TZ


def _stay(station) -> Stay:
    person = Person.objects.create(station=station, name="张三")
    at = datetime(2024, 3, 1, 9, tzinfo=TZ)
    return Stay.objects.create(
        station=station, person=person, admitted_at=at, admitted_on=at.date(), source="self"
    )


def test_a_user_sees_only_the_records_of_their_stations(make_user, station, other_station):
    mine, _ = _stay(station), _stay(other_station)
    user = make_user("station_staff", station)
    assert list(Stay.objects.for_user(user)) == [mine]
    assert list(Person.objects.for_user(user)) == [mine.person]


def test_another_stations_record_answers_404(make_user, station, other_station):
    theirs = _stay(other_station)
    user = make_user("station_staff", station)
    with pytest.raises(Http404):
        get_for_user_or_404(Stay, user, pk=theirs.pk)


def test_a_user_of_two_stations_sees_both(make_user, station, other_station):
    a, b = _stay(station), _stay(other_station)
    user = make_user("bureau_supervisor", station, other_station)
    assert set(Stay.objects.for_user(user)) == {a, b}
    assert get_for_user_or_404(Stay.objects.all(), user, pk=b.pk) == b


def test_a_user_without_membership_sees_nothing(make_user, station):
    _stay(station)
    assert not Stay.objects.for_user(make_user("station_staff")).exists()
