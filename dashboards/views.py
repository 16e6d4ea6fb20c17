"""The role pages: thin views over ``dashboards.selectors``; every page reads the station the user
works in (or the user's stations, side by side), never another."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from rescue_station.query import figures_year_max, year_options, year_param
from rescue_station.scoping import current_station, user_stations
from rescue_station.selectors import local_today

from . import selectors


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
