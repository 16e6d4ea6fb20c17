"""What waits for someone in the cases app today: the dashboards' inboxes read these.

Every read is of the station worked in (``for_user_at``); each function is a
fixed number of queries whatever the number of records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from rescue_station.models import Station

from . import selectors
from .models import ExtensionStatus, StayExtension, StreetPatrol, Ticket

# Lengths of stay of the people in the station now, in nights: (label, fewest, most).
LENGTH_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0–10", 0, 10),
    ("11–30", 11, 30),
    ("31–90", 31, 90),
    ("90+", 91, None),
)


def pending_extensions(user: Any, station: Station) -> QuerySet[StayExtension]:
    """Extensions asked for and not decided yet, oldest first, with their stay and person."""
    return (
        StayExtension.objects.for_user_at(user, station)
        .filter(status=ExtensionStatus.PENDING)
        .select_related("stay__person", "stay__station", "requested_by")
        .order_by("requested_at", "pk")
    )


def overdue_tickets(user: Any, station: Station, now: datetime) -> QuerySet[Ticket]:
    """Tickets not handled whose deadline has passed, the most overdue first."""
    return Ticket.objects.for_user_at(user, station).overdue(now).order_by("deadline", "pk")


def tickets_due(user: Any, station: Station, day: date, now: datetime) -> QuerySet[Ticket]:
    """Tickets not handled whose deadline falls on ``day`` (local date) and has not passed."""
    return (
        Ticket.objects.for_user_at(user, station)
        .filter(handled_at__isnull=True, deadline__date=day, deadline__gte=now)
        .order_by("deadline", "pk")
    )


def patrols_between(user: Any, station: Station, start: date, end: date) -> QuerySet[StreetPatrol]:
    return (
        StreetPatrol.objects.for_user_at(user, station)
        .filter(patrol_date__range=(start, end))
        .order_by("patrol_date", "pk")
    )


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week of ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class LengthBand:
    label: str
    count: int
    admitted_from: date | None  # the admission dates of the band, for the list behind the count
    admitted_to: date


def present_by_length(user: Any, station: Station, today: date) -> list[LengthBand]:
    """The people in the station now by nights stayed so far (0–10, 11–30, 31–90, over 90), one
    query: a band is a range of admission dates."""
    bands = []
    counts = {}
    for index, (_label, fewest, most) in enumerate(LENGTH_BANDS):
        q = Q(admitted_on__lte=today - timedelta(days=fewest))
        if most is not None:
            q &= Q(admitted_on__gte=today - timedelta(days=most))
        counts[f"b{index}"] = Count("pk", filter=q)
    row = selectors.stays_for(user, station).present().aggregate(**counts)
    for index, (label, fewest, most) in enumerate(LENGTH_BANDS):
        bands.append(
            LengthBand(
                label=label,
                count=row[f"b{index}"],
                admitted_from=None if most is None else today - timedelta(days=most),
                admitted_to=today - timedelta(days=fewest),
            )
        )
    return bands


@dataclass(frozen=True)
class Due:
    """The board's rows that someone has to act on."""

    present: list[selectors.BoardRow]
    over_limit: list[selectors.BoardRow]
    due_to_leave: list[selectors.BoardRow]  # reaching the limit today or tomorrow
    tracing: list[selectors.BoardRow]
    minors: list[selectors.BoardRow]


def due_in_station(user: Any, station: Station) -> Due:
    """Everyone in the station now and what is due for them (the board's query, once)."""
    rows = selectors.board(user, station)

    def allowed(row: selectors.BoardRow) -> int:
        return station.stay_limit_days + row.stay.approved_extension_days()

    return Due(
        present=rows,
        over_limit=[r for r in rows if r.over_limit],
        due_to_leave=[r for r in rows if not r.over_limit and allowed(r) - r.nights <= 1],
        tracing=[r for r in rows if r.tracing_due],
        minors=[r for r in rows if r.stay.is_minor],
    )


def long_stay_candidate_count(user: Any, station: Station) -> int:
    return selectors.long_stay_candidates(user, station).count()
