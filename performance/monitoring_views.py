"""Pages of the mid-year monitoring (绩效运行监控): the form of a year as of a date, its notes,
marking it as sent, its files."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rescue_station.audit import history_rows
from rescue_station.exporting import export_response
from rescue_station.forms import error_text
from rescue_station.query import year_param
from rescue_station.scoping import current_station, get_for_user_or_404
from rescue_station.selectors import local_today

from . import services
from .exporters import MONITORING_EXPORTERS, monitoring_export
from .forms import AsOfForm, MonitoringNotesForm, ReopenForm
from .models import Framework
from .monitoring_report import default_as_of, monitoring_for, monitoring_report
from .scoring import BUDGET_LINE


def _framework(request: HttpRequest, pk: int) -> Framework:
    return get_for_user_or_404(Framework.objects.select_related("station"), request.user, pk=pk)


def as_of_for(request: HttpRequest, year: int) -> datetime.date:
    """The as-of date asked for (``?as_of=``), kept inside the year and not after today."""
    today = local_today()
    form = AsOfForm(request.GET)
    asked = form.cleaned_data["as_of"] if form.is_valid() else None
    as_of = asked or default_as_of(year, today)
    return max(datetime.date(year, 1, 1), min(as_of, datetime.date(year, 12, 31), today))


def _page_url(framework: Framework, as_of: datetime.date) -> str:
    url = reverse("performance:monitoring", args=[framework.pk])
    return f"{url}?{urlencode({'as_of': as_of.isoformat()})}"


@permission_required("performance.view_framework", raise_exception=True)
def monitoring_index(request: HttpRequest) -> HttpResponse:
    """The monitoring of the current station's year (this year unless ``?year=`` says otherwise)."""
    station = current_station(request)
    today = local_today()
    year = year_param(request)
    frameworks = Framework.objects.for_user_at(request.user, station).order_by("-year")
    framework = next((f for f in frameworks if f.year == year), None)
    if framework is not None:
        return redirect(_page_url(framework, default_as_of(year, today)))
    return render(
        request,
        "performance/monitoring_none.html",
        {"station": station, "year": year, "frameworks": frameworks},
    )


@permission_required("performance.view_framework", raise_exception=True)
def monitoring_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The form as of a date, with the notes of the lines at risk (written here by the finance
    officer while the form is a draft)."""
    framework = _framework(request, pk)
    as_of = as_of_for(request, framework.year)
    record = monitoring_for(framework)
    report = monitoring_report(framework, as_of)
    can_edit = not record.is_sent and request.user.has_perm("performance.change_monitoring")
    notes_form = None
    if can_edit:
        notes_form = MonitoringNotesForm(
            request.POST or None, rows=report.rows, budget=report.budget
        )
        if request.method == "POST" and notes_form.is_valid():
            try:
                services.monitoring_notes_set(
                    framework=framework,
                    acting_user=request.user,
                    notes=notes_form.notes(),
                    budget_cause=notes_form.cleaned_data["budget_cause"],
                    budget_measure=notes_form.cleaned_data["budget_measure"],
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("The causes and measures were saved."))
            return redirect(_page_url(framework, as_of))
    elif request.method == "POST":
        return HttpResponse(status=403)
    fields = {}
    if notes_form is not None:
        fields = {
            row.indicator_id: (
                notes_form[f"cause-{row.indicator_id}"],
                notes_form[f"measure-{row.indicator_id}"],
            )
            for row in report.rows
            if row.indicator_id
        }
    return render(
        request,
        "performance/monitoring.html",
        {
            "framework": framework,
            "record": record,
            "report": report,
            "as_of": as_of,
            "as_of_form": AsOfForm(initial={"as_of": as_of}),
            "notes_form": notes_form,
            "rows": [(row, fields.get(row.indicator_id)) for row in report.rows],
            "can_send": can_edit,
            "can_reopen": record.is_sent and request.user.has_perm("performance.change_monitoring"),
            "reopen_form": ReopenForm(),
            "history": history_rows(record) if record.pk else [],
            "query": urlencode({"as_of": as_of.isoformat()}),
            "on_track": report.count("on_track"),
            "at_risk": report.count("at_risk"),
            "off_track": report.count("off_track"),
            "budget_line": BUDGET_LINE,
        },
    )


@permission_required("performance.view_framework", raise_exception=True)
def monitoring_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in MONITORING_EXPORTERS:
        raise Http404
    framework = _framework(request, pk)
    as_of = as_of_for(request, framework.year)
    return export_response(monitoring_export(framework, as_of, fmt))


@require_POST
@permission_required("performance.change_monitoring", raise_exception=True)
def monitoring_send(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    as_of = as_of_for(request, framework.year)
    try:
        services.monitoring_send(framework=framework, as_of=as_of, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The monitoring form is marked as sent."))
    return redirect(_page_url(framework, as_of))


@require_POST
@permission_required("performance.change_monitoring", raise_exception=True)
def monitoring_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    as_of = as_of_for(request, framework.year)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the form is reopened."))
        return redirect(_page_url(framework, as_of))
    try:
        services.monitoring_reopen(
            framework=framework, acting_user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The monitoring form was reopened."))
    return redirect(_page_url(framework, as_of))
