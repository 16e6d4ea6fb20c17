"""What the management commands for scripts share: the station named by its code, an ISO date,
an export written out."""

from __future__ import annotations

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from .exporting import Export
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


def write_export(command: BaseCommand, export: Export, output: str | None) -> None:
    """``--output FILE``, or standard output: text through the command's stdout (which a test
    catches), a PDF or a workbook as bytes."""
    if output:
        with open(output, "wb") as out:
            out.write(export.content)
    elif export.content_type.startswith(("text/", "application/json")):
        command.stdout.write(export.content.decode(), ending="")
    else:
        command.stdout.flush()
        sys.stdout.buffer.write(export.content)
