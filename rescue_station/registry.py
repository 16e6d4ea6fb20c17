"""The metric registry: named, period-bounded aggregates that apps publish to the others.

An app registers each metric under ``<app>.<name>`` in its ``metrics.py`` (discovered when Django
starts). A metric is a function ``(station, start, end) -> Decimal | None``, both dates inclusive,
computed in the database. Several metrics of one app may share one query: register them together
with ``register_group`` and the query runs once for all of them.

Pages that put stations side by side ask for many stations at once (``compute_for_stations``). A
group registered with ``register_station_group`` computes every station in the same query,
grouped by station (``StationScopedQuerySet.aggregate_by_station``), so such a page issues as many
queries for forty stations as for one; the one-station call runs that same query for one station.

Performance indicators and dashboards read numbers only through here, never through the models of
the app that owns them.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Station

MetricFunc = Callable[["Station", date, date], Decimal | int | None]
GroupFunc = Callable[["Station", date, date], dict[str, Decimal | int | None]]
# (stations, start, end) -> {station id: {key: value}}, every station given in the answer.
StationsFunc = Callable[
    [Sequence["Station"], date, date], dict[int, dict[str, Decimal | int | None]]
]


class Kind(enum.StrEnum):
    COUNT = "count"
    RATE = "rate"  # percent, 100 means 100%
    MONEY = "money"  # yuan


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    kind: Kind
    doc: str
    group: str  # the name of the query the metric is computed by


@dataclass(frozen=True)
class _Query:
    func: GroupFunc
    keys: tuple[str, ...]
    for_stations: StationsFunc | None = None  # the same query for many stations at once


_metrics: dict[str, Metric] = {}
_queries: dict[str, _Query] = {}


class UnknownMetric(KeyError):
    pass


def _check_key(key: str) -> None:
    app, _, name = key.partition(".")
    if not app or not name:
        raise ValueError(f"metric key {key!r} is not of the form <app>.<name>")
    if key in _metrics:
        raise ValueError(f"metric {key!r} is registered twice")


def register(key: str, *, label: str, unit: str, kind: Kind) -> Callable[[MetricFunc], MetricFunc]:
    """Register one metric; its docstring is its definition and is required."""

    def decorator(func: MetricFunc) -> MetricFunc:
        _check_key(key)
        doc = inspect.getdoc(func)
        if not doc:
            raise ValueError(f"metric {key!r} needs a docstring that defines it")
        _queries[key] = _Query(func=lambda s, a, b: {key: func(s, a, b)}, keys=(key,))
        _metrics[key] = Metric(key, label, unit, Kind(kind), doc, group=key)
        return func

    return decorator


@dataclass(frozen=True)
class Spec:
    """One metric of a group: its label, unit, kind and definition."""

    label: str
    unit: str
    kind: Kind
    doc: str


def register_group(name: str, specs: dict[str, Spec]) -> Callable[[GroupFunc], GroupFunc]:
    """Register metrics computed together by one function returning ``{key: value}``."""

    def decorator(func: GroupFunc) -> GroupFunc:
        for key in specs:
            _check_key(key)
        if name in _queries:
            raise ValueError(f"metric group {name!r} is registered twice")
        _queries[name] = _Query(func=func, keys=tuple(specs))
        for key, spec in specs.items():
            if not spec.doc:
                raise ValueError(f"metric {key!r} needs a definition")
            _metrics[key] = Metric(key, spec.label, spec.unit, Kind(spec.kind), spec.doc, name)
        return func

    return decorator


def register_station_group(
    name: str, specs: dict[str, Spec]
) -> Callable[[StationsFunc], GroupFunc]:
    """Register metrics computed together, for many stations in one query grouped by station.

    The decorated function takes ``(stations, start, end)`` and returns ``{station id: {key:
    value}}`` with every station given; ``compute_for_stations`` calls it once for all of them.
    The decorator returns the one-station function (the same query for one station), so that a
    group is still called as ``name(station, start, end)`` like any group.
    """

    def decorator(func: StationsFunc) -> GroupFunc:
        def one(station: Station, start: date, end: date) -> dict[str, Decimal | int | None]:
            return func([station], start, end)[station.pk]

        one.__name__, one.__doc__ = func.__name__, func.__doc__
        register_group(name, specs)(one)
        _queries[name] = replace(_queries[name], for_stations=func)
        return one

    return decorator


def unregister(key: str) -> None:
    """Remove a metric (and its query once no metric uses it). For tests."""
    metric = _metrics.pop(key)
    if not any(m.group == metric.group for m in _metrics.values()):
        _queries.pop(metric.group, None)


def get(key: str) -> Metric:
    try:
        return _metrics[key]
    except KeyError:
        raise UnknownMetric(key) from None


def all_metrics() -> list[Metric]:
    """Every registered metric, ordered by key."""
    return sorted(_metrics.values(), key=lambda m: m.key)


def label_of(key: str) -> str:
    """A metric's label by its key; the key itself when no metric is registered under it."""
    metric = _metrics.get(key)
    return str(metric.label) if metric else key


def _normalise(metric: Metric, value: Decimal | int | None) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(value)


def compute_many(
    keys: Iterable[str], station: Station, start: date, end: date
) -> dict[str, Decimal | None]:
    """The values of the named metrics, running each shared query once."""
    if start > end:
        raise ValueError("the period starts after it ends")
    wanted = [get(k) for k in keys]
    results: dict[str, Decimal | None] = {}
    done: dict[str, dict[str, Decimal | int | None]] = {}
    for metric in wanted:
        if metric.group not in done:
            done[metric.group] = _queries[metric.group].func(station, start, end)
        results[metric.key] = _normalise(metric, done[metric.group][metric.key])
    return results


def compute(key: str, station: Station, start: date, end: date) -> Decimal | None:
    return compute_many([key], station, start, end)[key]


def compute_all(station: Station, start: date, end: date) -> dict[str, Decimal | None]:
    return compute_many([m.key for m in all_metrics()], station, start, end)


def compute_for_stations(
    keys: Iterable[str], stations: Sequence[Station], start: date, end: date
) -> dict[int, dict[str, Decimal | None]]:
    """The named metrics of each station, ``{station id: {key: value}}``.

    A group registered for many stations runs once for all of them, grouped by station; any other
    group (``register``, ``register_group``: the tests' metrics) runs once per station.
    """
    return Memo(stations).values(keys, start, end)


class Memo:
    """``compute_for_stations`` for a page that asks several times: each metric group runs once
    per period for all the page's stations, however many of its keys the page asks for, and in
    however many calls (the headline figures and the forecast of the same period share a query).
    """

    def __init__(self, stations: Sequence[Station]) -> None:
        self.stations = list(stations)
        self._done: dict[tuple[str, date, date], dict[int, dict[str, Decimal | int | None]]] = {}

    def values(
        self, keys: Iterable[str], start: date, end: date, stations: Sequence[Station] | None = None
    ) -> dict[int, dict[str, Decimal | None]]:
        """{station id: {key: value}} for ``stations`` (a subset of the memo's; all by default)."""
        if start > end:
            raise ValueError("the period starts after it ends")
        wanted = [get(k) for k in keys]
        asked = self.stations if stations is None else list(stations)
        results: dict[int, dict[str, Decimal | None]] = {s.pk: {} for s in asked}
        for metric in wanted:
            if (metric.group, start, end) not in self._done:
                self._done[(metric.group, start, end)] = _group_for_stations(
                    metric.group, self.stations, start, end
                )
            done = self._done[(metric.group, start, end)]
            for station in asked:
                results[station.pk][metric.key] = _normalise(metric, done[station.pk][metric.key])
        return results


def _group_for_stations(
    group: str, stations: Sequence[Station], start: date, end: date
) -> dict[int, dict[str, Decimal | int | None]]:
    """Every value of a group for each station: one query for all of them when the group was
    registered for many stations, else one per station (test metrics)."""
    query = _queries[group]
    if query.for_stations is not None:
        return query.for_stations(stations, start, end)
    return {s.pk: query.func(s, start, end) for s in stations}


_PLACES = {Kind.COUNT: Decimal("1"), Kind.RATE: Decimal("0.01"), Kind.MONEY: Decimal("0.01")}


def format_value(metric: Metric, value: Decimal | None) -> str | None:
    """A value as printed: counts without decimals, rates and money with 2 places, half up."""
    if value is None:
        return None
    return str(value.quantize(_PLACES[metric.kind], rounding=ROUND_HALF_UP))
