"""What the management commands for scripts share: the station named by its code, an ISO date."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError

from .models import Station


def station_by_code(code: str) -> Station:
    """The station of ``--station CODE``, or the command's error naming the unknown code."""
    station = Station.objects.filter(code=code).first()
    if station is None:
        raise CommandError(f"unknown station code: {code!r}")
    return station


def iso_date(value: str) -> date:
    """An argument type: a date written YYYY-MM-DD, else the command's error."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None
