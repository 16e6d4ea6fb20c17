from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .middleware import PENDING_POST, session_remaining
from .paging import page_of
from .query import BadQuery, SortableColumns, figures_year_max, safe_next, year_options, year_param
from .scoping import SESSION_KEY, user_stations
from .selectors import (
    access_log_filter,
    dashboard_matrix,
    dashboards_for,
    group_by_app,
    local_today,
    period_of_year,
)


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: what the user's role works on, and the year's figures for supervisors."""
    user = request.user
    stations = list(user_stations(user))
    dashboards = []
    if user.has_perm("rescue_station.view_dashboard"):
        today = local_today()
        start = today.replace(month=1, day=1)
        dashboards = [
            (s, group_by_app(cells)) for s, cells in dashboards_for(stations, start, today)
        ]
    return render(
        request,
        "rescue_station/home.html",
        {"stations": stations, "dashboards": dashboards, "today": local_today()},
    )


@permission_required("rescue_station.view_dashboard", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every metric of a year for each of the user's stations, side by side."""
    today = local_today()
    year = year_param(request, last=figures_year_max())  # a year to come has no figures yet
    stations = list(user_stations(request.user))
    start, end = period_of_year(year, today)
    return render(
        request,
        "rescue_station/dashboard.html",
        {
            "stations": stations,
            "rows": dashboard_matrix(stations, start, end),
            "year": year,
            "years": year_options(shown=year),
            "start": start,
            "end": end,
        },
    )


ACCESS_LOG_COLUMNS = SortableColumns(
    when="accessed_at",
    user="user__username",
    station="station__name",
    kind="kind",
    type="record_type",
)


@permission_required("rescue_station.view_accesslog", raise_exception=True)
def access_log(request: HttpRequest) -> HttpResponse:
    """Who read which persons' records, lists and exports, in the user's stations."""
    filtered = access_log_filter(request.user, request.GET)
    page_obj = page_of(request, filtered.qs, columns=ACCESS_LOG_COLUMNS)
    return render(
        request,
        "rescue_station/access_log.html",
        {"filter_form": filtered.form, "page_obj": page_obj},
    )


@require_POST
def station_select(request: HttpRequest) -> HttpResponse:
    """Switch the station the user works in (only one of the user's own stations)."""
    station = user_stations(request.user).filter(pk=request.POST.get("station")).first()
    if station is not None:
        request.session[SESSION_KEY] = station.pk
    return HttpResponseRedirect(safe_next(request, "/"))


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the app answers and the database answers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds left in the session; asking does not count as activity."""
    return JsonResponse({"remaining": session_remaining(request)})


@require_POST
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """The user asked to keep working: the idle clock starts again (the middleware saw a request)."""
    return JsonResponse({"remaining": session_remaining(request)})


# A form kept across a re-login is posted back only within this time.
PENDING_POST_MAX_AGE = 24 * 3600


def session_resume(request: HttpRequest) -> HttpResponse:
    """After a re-login: post the form that arrived after the session had ended, as it was typed."""
    import time

    pending = request.session.pop(PENDING_POST, None)
    if (
        not pending
        or pending.get("user") != str(request.user.pk)
        or time.time() - pending.get("at", 0) > PENDING_POST_MAX_AGE
        or not url_has_allowed_host_and_scheme(pending.get("path", ""), {request.get_host()})
    ):
        messages.info(request, _("There is no form waiting to be saved."))
        return redirect("home")
    return render(
        request,
        "rescue_station/session_resume.html",
        {"pending": pending, "automatic": not pending.get("files")},
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page in the app's layout; a query the page cannot use (``BadQuery``) says why."""
    message = exception.args[0] if isinstance(exception, BadQuery) and exception.args else ""
    return render(request, "400.html", {"message": message}, status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the app's layout; a plain page when even that cannot be drawn."""
    from django.template import loader

    try:
        body = loader.render_to_string("500.html", request=request)
    except Exception:  # the layout itself may be what failed (a database gone away, say)
        body = (
            '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>系统出错</title>'
            "<h1>系统出错</h1><p>如果你刚才在保存表单，请先查看记录是否已保存，再重试。</p>"
            '<p><a href="/">返回首页</a></p></html>'
        )
    return HttpResponse(body, status=500)
