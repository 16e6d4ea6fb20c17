"""The one way to reach records: through the stations of the user's memberships.

Every model that belongs to a station uses ``StationScopedQuerySet`` (directly, or through a
path such as ``stay__station`` for records that belong to a station through another record).
Views fetch single objects with ``get_for_user_or_404`` so that another station's record answers
404, exactly as a record that does not exist. Lists, exports, calendars and boards show the
station being worked in: ``for_user_at(user, current_station(request))``. Pages that set several
stations side by side (the dashboards' table, the bureau's region) take all of the user's
stations: ``for_stations(user_stations(user))`` or ``for_user``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from .models import Station, User

M = TypeVar("M", bound=models.Model)

SESSION_KEY = "current_station_id"


def user_stations(user: Any) -> models.QuerySet[Station]:
    """The stations the user holds a membership in (none for an anonymous user)."""
    from .models import Station

    if not getattr(user, "is_authenticated", False):
        return Station.objects.none()
    return Station.objects.filter(memberships__user=user).distinct()


class StationScopedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to the stations a user may see.

    The model says how to reach its station with the class attribute ``station_path``
    (default ``"station"``).
    """

    def _station_path(self) -> str:
        return getattr(self.model, "station_path", "station")

    def for_user(self, user: User | Any) -> StationScopedQuerySet:
        """Only the records of the user's stations."""
        station_ids = user_stations(user).values("pk")
        return self.filter(**{f"{self._station_path()}__in": station_ids})

    def for_user_at(self, user: User | Any, station: Station) -> StationScopedQuerySet:
        """The records of the station the user works in now (``current_station(request)``),
        and none when the user holds no membership there: the one narrowing of every list,
        export, calendar and board.

        It takes the user and the station rather than the request because the selectors that
        build the lists are plain functions of both; a view passes ``current_station(request)``.
        """
        return self.for_user(user).for_station(station)

    def for_station(self, station: Station) -> StationScopedQuerySet:
        """Only the records of one station."""
        return self.filter(**{self._station_path(): station})

    def for_stations(self, stations: Iterable[Station]) -> StationScopedQuerySet:
        """Only the records of the stations given."""
        return self.filter(**{f"{self._station_path()}__in": [s.pk for s in stations]})

    def aggregate_by_station(
        self, stations: Iterable[Station], **aggregates: Any
    ) -> dict[int, dict[str, Any]]:
        """The aggregates over each station's records, in one query grouped by station.

        Every station given has an entry: ``{}`` when it has no records, so that the caller
        reads ``row.get(name)`` and gets what an empty ``aggregate()`` would give (None), or
        its own default for a count.
        """
        stations = list(stations)
        path = self._station_path()
        rows = self.for_stations(stations).order_by().values(path).annotate(**aggregates)
        found = {row.pop(path): row for row in rows}
        return {s.pk: found.get(s.pk, {}) for s in stations}


def get_for_user_or_404(source: type[M] | models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """One record of the user's stations, or 404 (also when it exists in another station)."""
    queryset = source if isinstance(source, models.QuerySet) else source._default_manager.all()
    if not hasattr(queryset, "for_user"):
        raise TypeError(f"{queryset.model.__name__} is not station-scoped")
    return get_object_or_404(queryset.for_user(user), **lookup)


def current_station(request: HttpRequest) -> Station:
    """The station the user is working in now: the one picked in the switcher, else the first.

    Raises 404 for a user without any membership: such a user has nothing to work on.
    """
    stations = user_stations(request.user)
    picked = request.session.get(SESSION_KEY)
    station = stations.filter(pk=picked).first() if picked else None
    station = station or stations.first()
    if station is None:
        raise Http404("No station")
    return station
