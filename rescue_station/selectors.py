"""Reads of the core app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils import timezone

from . import registry
from .formatting import format_wan
from .models import AccessLog, Station

if TYPE_CHECKING:
    from .filters import AccessLogFilter


def local_today() -> date:
    """Today in the station's time zone (Asia/Shanghai)."""
    return timezone.localdate()


def display_value(metric: registry.Metric, value: Decimal | None) -> str | None:
    """A figure as pages show it: money in 万元 (the registry and its command keep yuan)."""
    if metric.kind == registry.Kind.MONEY and value is not None:
        return format_wan(value)
    return registry.format_value(metric, value)


def display_unit(metric: registry.Metric) -> str:
    return "万元" if metric.kind == registry.Kind.MONEY else metric.unit


@dataclass(frozen=True)
class DashboardCell:
    metric: registry.Metric
    unit: str
    value: str | None


@dataclass(frozen=True)
class DashboardRow:
    metric: registry.Metric
    unit: str
    values: list[str | None]  # one per station, in the order of the stations given


def period_of_year(year: int, today: date) -> tuple[date, date]:
    """The year's period as dashboards show it: up to today for the current year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return start, min(end, today) if start <= today else end


def dashboard_matrix(stations: list[Station], start: date, end: date) -> list[DashboardRow]:
    """Every registered metric (rows) for each station (columns), formatted as reports print it:
    one query a metric group for all the stations."""
    keys = [m.key for m in registry.all_metrics()]
    per_station = registry.compute_for_stations(keys, stations, start, end)
    return [
        DashboardRow(
            m, display_unit(m), [display_value(m, per_station[s.pk][m.key]) for s in stations]
        )
        for m in registry.all_metrics()
    ]


def dashboards_for(
    stations: list[Station], start: date, end: date
) -> list[tuple[Station, list[DashboardCell]]]:
    """Every registered metric of each station for the period, formatted as the reports print it
    (one query a metric group for all the stations)."""
    keys = [m.key for m in registry.all_metrics()]
    per_station = registry.compute_for_stations(keys, stations, start, end)
    return [(s, _cells(per_station[s.pk])) for s in stations]


def dashboard_for(station: Station, start: date, end: date) -> list[DashboardCell]:
    """Every registered metric of the station for the period, formatted as the reports print it."""
    return dashboards_for([station], start, end)[0][1]


def _cells(values: dict[str, Decimal | None]) -> list[DashboardCell]:
    return [
        DashboardCell(metric=m, unit=display_unit(m), value=display_value(m, values[m.key]))
        for m in registry.all_metrics()
    ]


def group_by_app(cells: list[DashboardCell]) -> list[tuple[str, list[DashboardCell]]]:
    """Cells under the name of the app that publishes them (救助业务, 未成年人保护, …)."""
    groups: dict[str, list[DashboardCell]] = {}
    for cell in cells:
        app_label = cell.metric.key.split(".")[0]
        try:
            name = str(apps.get_app_config(app_label).verbose_name)
        except LookupError:
            name = app_label
        groups.setdefault(name, []).append(cell)
    return list(groups.items())


def record_type_label(record_type: str) -> str:
    """A record type of the access log ("minors.child") by its model's name (登记儿童)."""
    try:
        return str(apps.get_model(record_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return record_type


def access_log_record_types(user: Any) -> list[tuple[str, str]]:
    """The record types found in the log of the user's stations, for the filter."""
    types = (
        AccessLog.objects.for_user(user)
        .exclude(record_type="")
        .values_list("record_type", flat=True)
        .distinct()
        .order_by("record_type")
    )
    return [(t, record_type_label(t)) for t in types]


def access_log_filter(user: Any, data: Any) -> AccessLogFilter:
    """The access log of the user's stations, newest first, filtered by ``data`` (a query
    string; rescue_station.filters.AccessLogFilter): ``.qs`` the entries, ``.form`` the form."""
    from .filters import AccessLogFilter  # here: its form reads this module through query

    entries = AccessLog.objects.for_user(user).select_related("user", "station")
    return AccessLogFilter(
        data,
        entries.order_by("-accessed_at", "-pk"),
        form_kwargs={"record_types": access_log_record_types(user)},
    )
