"""What a page read writes to the access log, in one place for every app.

Logged, one row per record or list a served page shows (GET only, and only when the page is
served: a refused or failed request, or a write, shows nothing):
- a page showing a minor's record (a minor's case, a registered child, a minor's stay);
- a list or export whose rows name minors;
- an export of persons' data (names, ID numbers), whoever exports it;
- any page of the inspected apps read by a user holding case inspection: the pages above log
  it with what they know of the record, ``AccessLogMiddleware`` logs the other pages.

Views call ``log_record_read`` and ``log_list_read`` while they build the page; the middleware
writes the rows once the response is a 200. The rule of who is logged lives here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from .models import AccessKind
from .roles import CASE_INSPECTION, INSPECTED_APPS
from .scoping import current_station
from .services import access_log_write

_READS = "_access_log_reads"


def is_inspecting(user: Any) -> bool:
    """The user reads persons' records under a case inspection (every read logged)."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(CASE_INSPECTION))


def record_type_of(model: type[models.Model] | models.Model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def _query(request: HttpRequest) -> str:
    """The filter as the supervisor reads it (q=张三&present=yes), not percent-encoded."""
    return unquote_plus(request.GET.urlencode())


def _note(request: HttpRequest, sensitive: bool, **row: Any) -> None:
    if request.method != "GET" or not (sensitive or is_inspecting(request.user)):
        return
    reads = getattr(request, _READS, None)
    if reads is None:
        reads = []
        setattr(request, _READS, reads)
    reads.append({"path": request.path, "list_name": _view_name(request), **row})


def log_record_read(request: HttpRequest, record: models.Model, *, sensitive: bool = True) -> None:
    """The page shows ``record`` (a record of a station); ``sensitive``: a minor's record."""
    _note(
        request,
        sensitive,
        station_id=record.station_id,
        kind=AccessKind.RECORD,
        record_type=record_type_of(record),
        record_id=record.pk,
        record_label=str(record),
    )


def log_list_read(
    request: HttpRequest,
    *,
    station_id: int,
    model: type[models.Model],
    row_count: int,
    sensitive: bool = True,
    export: bool = False,
) -> None:
    """The page lists (or exports) ``row_count`` rows of ``model``; ``sensitive``: rows that name
    minors, or an export of persons' data. The list is named by its URL name (cases:stay_list),
    its filter is the query string."""
    _note(
        request,
        sensitive,
        station_id=station_id,
        kind=AccessKind.EXPORT if export else AccessKind.LIST,
        record_type=record_type_of(model),
        query=_query(request),
        row_count=row_count,
    )


def _inspected_page(request: HttpRequest, response: HttpResponse) -> dict[str, Any] | None:
    """A row for a page of the inspected apps that logged nothing itself, read by an inspector."""
    match = request.resolver_match
    if match is None or match.namespace not in INSPECTED_APPS:
        return None
    if not is_inspecting(request.user):
        return None
    try:
        station = current_station(request)
    except Http404:  # no station: the page showed nothing of a station's
        return None
    record_id = match.kwargs.get("pk")
    if "attachment" in response.get("Content-Disposition", ""):
        kind = AccessKind.EXPORT
    else:
        kind = AccessKind.RECORD if record_id else AccessKind.LIST
    return {
        "station_id": station.pk,
        "kind": kind,
        "record_id": record_id,
        "path": request.path,
        "list_name": match.view_name,
        "query": _query(request),
    }


def write_reads(request: HttpRequest, response: HttpResponse) -> None:
    """Write the rows of a served page (called by the middleware after the view)."""
    if request.method != "GET" or response.status_code != 200:
        return
    rows = getattr(request, _READS, None) or []
    if not rows:
        page = _inspected_page(request, response)
        rows = [page] if page else []
    for row in rows:
        access_log_write(user=request.user, **row)
