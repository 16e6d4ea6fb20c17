"""The batch event of an import (``stays_registered``): the same cases as the event per stay."""

from datetime import date

from cases.signals import stay_registered, stays_registered
from minors.models import MinorCase
from tests.factories import StayFactory

ADMITTED = date(2024, 6, 15)


def test_the_batch_event_opens_a_case_per_minor_once_with_its_history(station, users):
    staff = users["station_staff"]
    child, adult, known = (
        StayFactory(station=station, admitted_on=ADMITTED, person__birth_date=birth)
        for birth in (date(2010, 1, 1), date(1980, 1, 1), date(2012, 5, 5))
    )
    stay_registered.send(sender=type(known), stay=known, acting_user=staff)  # has its case
    stays_registered.send(sender=type(child), stays=[child, adult, known], acting_user=staff)
    cases = MinorCase.objects.filter(station=station)
    assert sorted(c.stay_id for c in cases) == sorted([child.pk, known.pk])
    case = cases.get(stay=child)
    assert case.opened_on == ADMITTED and case.opened_by == staff
    assert [(h.history_type, h.history_user) for h in case.history.all()] == [("+", staff)]
    assert case.history.get().history_change_reason == "opened for a minor's stay"
