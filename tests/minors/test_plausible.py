"""Plausible values in the minors app: the edges of the calendar refused, never an overflow."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minors.forms import CounsellingForm, FollowUpForm
from minors.models import Child
from minors.services import child_register


@pytest.mark.parametrize("registered_on", [date(1, 1, 1), date(9999, 12, 31)])
def test_registering_a_child_on_the_edge_of_the_calendar_is_refused(station, users, registered_on):
    with pytest.raises(ValidationError) as caught:
        child_register(
            station=station,
            acting_user=users["minors_worker"],
            name="小明",
            category="left_behind",
            registered_on=registered_on,
        )
    assert "registered_on" in caught.value.message_dict
    assert not Child.objects.exists()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_the_counselling_form_refuses_the_edges_of_the_calendar(value):
    form = CounsellingForm({"held_on": value, "provider_role": "counsellor"})
    assert not form.is_valid() and "held_on" in form.errors


def _followup(station, users, ended_on):
    return FollowUpForm(
        {
            "worker": users["minors_worker"].pk,
            "worker_role": "social_worker",
            "started_on": "2024-03-01",
            "ended_on": ended_on,
        },
        station=station,
    )


@pytest.mark.parametrize("ended_on", ["0001-01-01", "9999-12-31"])
def test_a_follow_up_period_refuses_the_edges_of_the_calendar(station, users, ended_on):
    form = _followup(station, users, ended_on)
    assert not form.is_valid() and "ended_on" in form.errors


def test_a_follow_up_period_may_end_a_year_ahead(station, users):
    ahead = (timezone.localdate() + timedelta(days=365)).isoformat()
    form = _followup(station, users, ahead)
    assert form.is_valid(), form.errors
