"""The role pages: thin views over ``dashboards.selectors``; every page reads the station the user
works in (or the user's stations, side by side), never another."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases import statistics as cases_statistics
from cases.statistics import Statistics
from rescue_station.exporting import export_response
from rescue_station.query import BadQuery, figures_year_max, year_options, year_param
from rescue_station.scoping import current_station, user_stations
from rescue_station.selectors import local_today

from . import selectors, station_statistics
from .exporters import STATISTICS_EXPORTERS


def _year(request: HttpRequest) -> int:
    """The year asked for: 400 unless a year from 1900 to this one (a year to come has no
    figures yet)."""
    return year_param(request, last=figures_year_max())


@permission_required("cases.approve_extension", raise_exception=True)
def head(request: HttpRequest) -> HttpResponse:
    """The station head's dashboard: the year at a glance and what waits for the head."""
    station = current_station(request)
    today = local_today()
    return render(
        request,
        "dashboards/head.html",
        {
            "overview": selectors.overview(request.user, station, today),
            "extensions": selectors.pending_extensions(request.user, station),
            "inbox": selectors.inbox(request.user, station, today, timezone.now()),
            "next": request.get_full_path(),
        },
    )


@permission_required("cases.add_stay", raise_exception=True)
def staff(request: HttpRequest) -> HttpResponse:
    """The intake and street staff's page: who is in the station and what is due today."""
    station = current_station(request)
    return render(
        request,
        "dashboards/staff.html",
        {"work": selectors.staff_work(request.user, station, local_today(), timezone.now())},
    )


@permission_required("budget.change_budgetline", raise_exception=True)
def finance(request: HttpRequest) -> HttpResponse:
    """The finance officer's page: execution against the time gone, the self-evaluation, the
    monitoring form."""
    station = current_station(request)
    year = _year(request)
    today = local_today()
    return render(
        request,
        "dashboards/finance.html",
        {
            "finance": selectors.finance(request.user, station, year, today),
            "years": year_options(shown=year),
        },
    )


@permission_required("rescue_station.view_dashboard", raise_exception=True)
def region(request: HttpRequest) -> HttpResponse:
    """The user's stations side by side (a bureau: its region's), with the totals."""
    today = local_today()
    year = _year(request)
    return render(
        request,
        "dashboards/region.html",
        {
            "region": selectors.region(request.user, year, today),
            "years": year_options(shown=year),
        },
    )


@permission_required("rescue_station.view_dashboard", raise_exception=True)
def region_station(request: HttpRequest, code: str) -> HttpResponse:
    """One of the user's stations, read-only: its figures, forecast and charts."""
    station = user_stations(request.user).filter(code=code).first()
    if station is None:
        raise Http404
    return render(
        request,
        "dashboards/region_station.html",
        {"overview": selectors.overview(request.user, station, local_today(), _year(request))},
    )


def _statistics(request: HttpRequest) -> tuple[station_statistics.PeriodForm, Statistics | None]:
    """The period asked for (this year when none) and the current station's statistics of it;
    None when the period cannot be one (the form says why)."""
    form = station_statistics.PeriodForm(request.GET)
    if not form.is_valid():
        return form, None
    start, end = form.cleaned_data["period"]
    return form, cases_statistics.station_statistics(current_station(request), start, end)


@permission_required("rescue_station.view_statistics", raise_exception=True)
def statistics(request: HttpRequest) -> HttpResponse:
    """The station's statistics of a year or a period, each number linked to its stays."""
    form, stats = _statistics(request)
    context: dict[str, Any] = {
        "form": form,
        "years": station_statistics.years(),
        "year": form.cleaned_data.get("year") if stats else None,
        # The dates as typed, so that a refused period can be corrected where it was typed.
        "start": request.GET.get("start", ""),
        "end": request.GET.get("end", ""),
    }
    if stats is not None:
        context.update(station_statistics.context(stats, request.user))
        context.update(
            start=stats.start.isoformat(),
            end=stats.end.isoformat(),
            query=urlencode({"start": stats.start.isoformat(), "end": stats.end.isoformat()}),
            linked=request.user.has_perm("cases.view_stay"),
        )
        if context["year"] is None and (stats.start, stats.end) == (
            date(stats.start.year, 1, 1),
            date(stats.start.year, 12, 31),
        ):
            context["year"] = stats.start.year
    return render(request, "dashboards/statistics.html", context, status=200 if stats else 400)


@permission_required("rescue_station.view_statistics", raise_exception=True)
def statistics_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The statistics as the form a station files: XLSX or PDF, filled in by the reader."""
    form, stats = _statistics(request)
    if stats is None:
        raise BadQuery(" ".join(str(e) for errors in form.errors.values() for e in errors))
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    exporter = STATISTICS_EXPORTERS[fmt](
        stats,
        filled_by=request.user.get_full_name() or request.user.get_username(),
        filled_on=local_today(),
    )
    return export_response(exporter.render())
