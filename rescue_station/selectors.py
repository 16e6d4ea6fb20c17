"""Reads of the core app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from . import registry
from .models import Station


def local_today() -> date:
    """Today in the station's time zone (Asia/Shanghai)."""
    return timezone.localdate()


@dataclass(frozen=True)
class DashboardCell:
    metric: registry.Metric
    value: str | None


def dashboard_for(station: Station, start: date, end: date) -> list[DashboardCell]:
    """Every registered metric of the station for the period, formatted as the reports print it."""
    values: dict[str, Decimal | None] = registry.compute_all(station, start, end)
    return [
        DashboardCell(metric=m, value=registry.format_value(m, values[m.key]))
        for m in registry.all_metrics()
    ]
