"""After saving one section of a stay's long page, the page opens at that section and its
confirmation is drawn there, not at the top of the page out of view (rescue_station.sections)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay(make_stay, station):
    return make_stay(station, date(2024, 5, 1))


def _element(html: str, tag: str, element_id: str) -> str:
    start = html.index(f' id="{element_id}"') + 1
    return html[start : html.index(f"</{tag}>", start)]


def test_a_saved_section_opens_at_its_anchor_with_its_confirmation(client_for, stay):
    client = client_for("station_staff")
    url = reverse("cases:stay_event", args=[stay.pk, "tracing"])
    response = client.post(
        url, {"tracing-method": "dna", "tracing-done_on": "2024-05-02", "tracing-result": "pending"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:stay_detail", args=[stay.pk]) + "#tracing"
    html = client.get(response["Location"]).content.decode()
    section = _element(html, "details", "tracing")
    assert section.startswith('id="tracing" open')  # the form holding the message is open
    assert 'data-section="tracing"' in section
    top = html[html.index('<main class="content">') : html.index("<h1")]
    assert "message" not in top  # not also at the top
    assert len(re.findall(r'class="message ', html)) == 1


def test_a_message_of_the_whole_page_stays_at_the_top(client_for, stay):
    client = client_for("station_staff")
    client.post(reverse("cases:stay_depart", args=[stay.pk]), {})  # refused: errors on its page
    page = client.get(reverse("cases:stay_detail", args=[stay.pk])).content.decode()
    assert 'data-section="' not in page
