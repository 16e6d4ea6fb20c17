"""The minors' lists are filtered by FilterSets over filter forms (minors.filters): the values
the form offers filter the list, the form shows them chosen, and a value it does not offer
leaves the list whole with the form's error (never a 500)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from minors.models import MinorCase
from tests.factories import StayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(station):
    for name, reason, outcome in [("张小花", "ran_away", ""), ("李小草", "online_contact", "x")]:
        stay = StayFactory(
            station=station, admitted_on=date(2024, 5, 1), is_minor=True, person__name=name
        )
        MinorCase.objects.create(
            station=station,
            stay=stay,
            opened_at=timezone.now(),
            opened_on=date(2024, 5, 1),
            reason=reason,
            outcome=outcome,
        )


def _names(response) -> list[str]:
    return sorted(c.subject_name for c in response.context["page_obj"])


def test_it_filters_the_cases_by_status(client_for, two_cases):
    client = client_for("minors_worker")
    assert _names(client.get(reverse("minors:cases"), {"status": "open"})) == ["张小花"]
    assert _names(client.get(reverse("minors:cases"), {"status": "closed"})) == ["李小草"]


def test_it_shows_the_chosen_filter_in_the_shared_filter_block(client_for, two_cases):
    response = client_for("minors_worker").get(reverse("minors:cases"), {"reason": "ran_away"})
    html = response.content.decode()
    assert html.count('class="filters"') == 1
    assert '<option value="ran_away" selected>' in html


@pytest.mark.parametrize(
    ("url_name", "param"),
    [
        ("minors:cases", "reason"),
        ("minors:cases", "status"),
        ("minors:reports", "late"),
        ("minors:children", "township"),
        ("minors:activity_list", "kind"),
    ],
)
def test_a_value_the_form_does_not_offer_leaves_the_list_whole(
    client_for, two_cases, url_name, param
):
    client = client_for("minors_worker")
    whole = client.get(reverse(url_name))
    refused = client.get(reverse(url_name), {param: "bogus"})
    assert refused.status_code == 200
    assert param in refused.context["filter_form"].errors
    assert len(refused.context["page_obj"]) == len(whole.context["page_obj"])


def test_a_year_the_selector_does_not_offer_still_filters(client_for, station):
    from minors.models import Activity

    Activity.objects.create(
        station=station, kind="class", title="旧课", held_on=date(1990, 6, 3), participants=9
    )
    response = client_for("minors_worker").get(reverse("minors:activity_list"), {"year": "1990"})
    assert [a.title for a in response.context["page_obj"]] == ["旧课"]
