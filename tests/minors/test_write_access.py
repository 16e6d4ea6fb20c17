"""Readers (the station head) and other roles cannot write minors records, by GET or POST."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from minors.models import Activity, MandatoryReport
from rescue_station.models import AccessLog
from tests.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(minor_case, make_child, station):
    child = make_child(station)
    activity = Activity.objects.create(
        station=station, title="活动", kind="class", held_on=date(2024, 5, 1), participants=3
    )
    report = MandatoryReport.objects.create(
        case=minor_case,
        reported_at=at(date(2024, 3, 2), 10),
        recipient="police",
        suspicion="疑似",
    )
    return [
        reverse("minors:case_new"),
        reverse("minors:case_edit", args=[minor_case.pk]),
        reverse("minors:counselling_add", args=[minor_case.pk]),
        reverse("minors:report_add", args=[minor_case.pk]),
        reverse("minors:report_edit", args=[report.pk]),
        reverse("minors:child_new"),
        reverse("minors:child_edit", args=[child.pk]),
        *[
            reverse("minors:child_record_add", args=[child.pk, kind])
            for kind in ("visit", "followup", "assessment", "intervention")
        ],
        reverse("minors:activity_new"),
        reverse("minors:activity_edit", args=[activity.pk]),
    ]


@pytest.mark.parametrize(
    "role", ["supervisor", "bureau_supervisor", "station_staff", "finance_officer"]
)
def test_it_refuses_every_minors_write_to_other_roles(role, targets, client_for):
    client = client_for(role)
    logged = AccessLog.objects.count()
    for url in targets:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "x"}).status_code == 403, url
    assert AccessLog.objects.count() == logged  # nothing was shown, nothing logged


def test_each_view_of_a_case_logs_exactly_one_row(minor_case, client_for):
    client = client_for("minors_worker")
    for name in ("case_detail", "case_print", "case_edit", "counselling_add", "report_add"):
        before = AccessLog.objects.count()
        assert client.get(reverse(f"minors:{name}", args=[minor_case.pk])).status_code == 200
        assert AccessLog.objects.count() == before + 1, name
