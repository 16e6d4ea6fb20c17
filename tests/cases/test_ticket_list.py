"""The tickets' list: sorted by its headers, filtered by channel and by 已超期, each overdue
ticket saying so in words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.attention import overdue_tickets
from cases.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(station):
    now = timezone.now()

    def make(number, channel, received_days_ago, deadline_in_days, handled=False):
        received = now - timedelta(days=received_days_ago)
        return Ticket.objects.create(
            station=station,
            channel=channel,
            number=number,
            received_at=received,
            received_on=timezone.localdate(received),
            deadline=now + timedelta(days=deadline_in_days),
            summary="s",
            handled_at=received + timedelta(hours=1) if handled else None,
            outcome="done" if handled else "",
        )

    return {
        "late": make("T-LATE", "hotline", 5, -2),  # open, deadline passed: 已超期
        "open": make("T-OPEN", "platform", 1, 2),  # open, not due yet
        "done": make("T-DONE", "hotline", 3, -1, handled=True),  # handled in time
    }


def _numbers(response) -> list[str]:
    return [t.number for t in response.context["page_obj"]]


def test_it_lists_the_overdue_tickets_only_when_asked(client_for, tickets):
    client = client_for("station_staff")
    response = client.get(reverse("cases:ticket_list"), {"overdue": "on"})
    assert _numbers(response) == ["T-LATE"]
    assert sorted(_numbers(client.get(reverse("cases:ticket_list")))) == [
        "T-DONE",
        "T-LATE",
        "T-OPEN",
    ]


def test_the_list_and_the_dashboard_agree_on_what_is_overdue(client_for, tickets, station, users):
    listed = client_for("station_staff").get(reverse("cases:ticket_list"), {"overdue": "on"})
    inbox = overdue_tickets(users["station_staff"], station, timezone.now())
    assert _numbers(listed) == [t.number for t in inbox]


def test_an_overdue_ticket_says_so_in_words(client_for, tickets):
    html = client_for("station_staff").get(reverse("cases:ticket_list")).content.decode()
    rows = {n: row for row in html.split("<tr") for n in ("T-LATE", "T-OPEN", "T-DONE") if n in row}
    assert 'data-testid="overdue"' in rows["T-LATE"]
    assert 'data-testid="overdue"' not in rows["T-OPEN"] + rows["T-DONE"]


def test_it_filters_by_channel(client_for, tickets):
    client = client_for("station_staff")
    assert _numbers(client.get(reverse("cases:ticket_list"), {"channel": "platform"})) == ["T-OPEN"]
    assert client.get(reverse("cases:ticket_list"), {"channel": "fax"}).status_code == 200


def test_it_sorts_by_deadline_both_ways(client_for, tickets):
    client = client_for("station_staff")
    up = _numbers(client.get(reverse("cases:ticket_list"), {"sort": "deadline"}))
    assert up == ["T-LATE", "T-DONE", "T-OPEN"]
    assert _numbers(client.get(reverse("cases:ticket_list"), {"sort": "-deadline"})) == up[::-1]
    # By channel, the ties broken by the key: the same order on every request.
    by_channel = _numbers(client.get(reverse("cases:ticket_list"), {"sort": "channel"}))
    assert by_channel == ["T-LATE", "T-DONE", "T-OPEN"]
