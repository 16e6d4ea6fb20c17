"""What waits in the minors' work: the dashboards' inboxes read these (counts only: a child's
record is opened from the minors' own lists, where every view is logged)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef

from rescue_station.models import Station

from .models import MandatoryReport, MinorCase
from .selectors import cases_missing_report


@dataclass(frozen=True)
class ReportsDue:
    pending: int  # harm disclosed, no mandatory report yet, the deadline not passed
    overdue: int  # harm disclosed, no mandatory report, the deadline passed


def reports_due(user: Any, station: Station, now: datetime) -> ReportsDue:
    """Mandatory reports (强制报告) still to make in the station, within or past the deadline."""
    cases = MinorCase.objects.for_user_at(user, station)
    missing = cases.filter(harm_disclosed_at__isnull=False).exclude(
        Exists(MandatoryReport.objects.filter(case=OuterRef("pk")))
    )
    overdue = cases_missing_report(cases, now=now).count()
    return ReportsDue(pending=missing.count() - overdue, overdue=overdue)


def minors_in_station(user: Any, station: Station) -> int:
    """Open cases of minors in the station now (their stay not ended)."""
    return (
        MinorCase.objects.for_user_at(user, station)
        .filter(stay__isnull=False, stay__left_at__isnull=True)
        .count()
    )
