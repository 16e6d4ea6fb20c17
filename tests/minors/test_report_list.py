"""The mandatory-report register: a report made past the station's deadline (counted from the
disclosure of the harm) says 已超期 in its row, and the register can show only those."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from minors.models import MandatoryReport, MinorsPolicy
from minors.services import minor_case_open_for_stay
from tests.factories import StayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(station, users):
    now = timezone.now()

    def make(name, hours_to_report, receipt):
        # Five days ago: a stay admitted at 10:00 today is still to come before 10:00.
        admitted_on = timezone.localdate() - timedelta(days=5)
        stay = StayFactory(
            station=station, admitted_on=admitted_on, is_minor=True, person__name=name
        )
        case = minor_case_open_for_stay(stay=stay, acting_user=users["minors_worker"])
        case.harm_disclosed_at = now - timedelta(hours=100)
        case.save()
        return MandatoryReport.objects.create(
            case=case,
            suspicion="s",
            reported_at=case.harm_disclosed_at + timedelta(hours=hours_to_report),
            recipient="police",
            receipt_no=receipt,
        )

    return {"in_time": make("甲", 5, "R-IN"), "late": make("乙", 30, "R-LATE")}


def _receipts(response) -> list[str]:
    return sorted(r.receipt_no for r in response.context["page_obj"])


def test_it_shows_only_the_reports_past_the_deadline_when_asked(client_for, reports):
    client = client_for("minors_worker")
    assert _receipts(client.get(reverse("minors:reports"), {"late": "1"})) == ["R-LATE"]
    assert _receipts(client.get(reverse("minors:reports"))) == ["R-IN", "R-LATE"]


def test_the_deadline_is_the_stations_own(client_for, reports, station):
    MinorsPolicy.objects.create(station=station, report_deadline_hours=48)
    assert (
        _receipts(client_for("minors_worker").get(reverse("minors:reports"), {"late": "1"})) == []
    )


def test_a_late_report_says_so_in_words(client_for, reports):
    html = client_for("minors_worker").get(reverse("minors:reports")).content.decode()
    rows = {n: row for row in html.split("<tr") for n in ("R-IN", "R-LATE") if n in row}
    assert "已超期" in rows["R-LATE"] or 'data-testid="overdue"' in rows["R-LATE"]
    assert 'data-testid="overdue"' not in rows["R-IN"]


def test_the_register_sorts_by_receipt_both_ways(client_for, reports):
    client = client_for("minors_worker")
    up = [
        r.receipt_no
        for r in client.get(reverse("minors:reports"), {"sort": "receipt"}).context["page_obj"]
    ]
    down = [
        r.receipt_no
        for r in client.get(reverse("minors:reports"), {"sort": "-receipt"}).context["page_obj"]
    ]
    assert up == ["R-IN", "R-LATE"] and down == up[::-1]
