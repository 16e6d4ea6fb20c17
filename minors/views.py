"""Pages of the minor-protection centre. Every page that shows a minor's case or a child's record,
and every list that names minors, logs the read (rescue_station.access_log); records are reached
only through the user's stations."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from rescue_station import registry
from rescue_station import selectors as core_selectors
from rescue_station.access_log import log_list_read, log_record_read
from rescue_station.audit import history_rows
from rescue_station.forms import save_through
from rescue_station.paging import page_of
from rescue_station.pickers import picker_results
from rescue_station.query import (
    YEAR_MIN,
    SortableColumns,
    figures_year_max,
    year_max,
    year_options,
    year_param,
)
from rescue_station.scoping import current_station, get_for_user_or_404

from . import pickers, selectors, services
from .forms import (
    ActivityForm,
    AssessmentForm,
    CaseForm,
    CaseOpenForm,
    ChildForm,
    CounsellingForm,
    FollowUpForm,
    InterventionForm,
    MandatoryReportForm,
    ReportFollowUpForm,
    VisitDoneForm,
    VisitForm,
    VisitPlanForm,
)
from .models import (
    Activity,
    Child,
    MandatoryReport,
    MinorCase,
    Visit,
)


def _case_for(request: HttpRequest, pk: int) -> MinorCase:
    """The case, from the user's stations only; a page showing it (GET) logs the view."""
    queryset = MinorCase.objects.select_related("stay__person", "child", "opened_by")
    case = get_for_user_or_404(queryset, request.user, pk=pk)
    log_record_read(request, case)
    return case


def _child_for(request: HttpRequest, pk: int) -> Child:
    child = get_for_user_or_404(Child, request.user, pk=pk)
    log_record_read(request, child)
    return child


def _log_list(request: HttpRequest, model: type, page_obj: Any, *also_named: Any) -> None:
    """A list of minors' records: logged when it names one (its page's rows or another box)."""
    rows = len(page_obj.object_list)
    log_list_read(
        request,
        station_id=current_station(request).pk,
        model=model,
        row_count=rows,
        sensitive=bool(rows or any(also_named)),
    )


def pick_children(request: HttpRequest) -> JsonResponse:
    """The children pickers (an activity's participants, a case opened for a registered child):
    the current station's children matching ``?q=``. The answer names minors: it is logged."""
    if not any(
        request.user.has_perm(p)
        for p in ("minors.add_activity", "minors.change_activity", "minors.add_minorcase")
    ):
        raise PermissionDenied
    station = current_station(request)
    results = picker_results(
        request,
        pickers.children_pickable(request.user, station),
        pickers.child_search,
        pickers.child_label,
    )
    log_list_read(
        request, station_id=station.pk, model=Child, row_count=len(results), sensitive=bool(results)
    )
    return JsonResponse(results, safe=False)


# --- minors in the station -------------------------------------------------------------------


CASE_COLUMNS = SortableColumns(opened="opened_at", reason="reason", guardian="guardian_name")


@permission_required("minors.view_minorcase", raise_exception=True)
def case_list(request: HttpRequest) -> HttpResponse:
    filtered = selectors.case_list(request.user, current_station(request), request.GET)
    overdue = list(
        selectors.cases_missing_report(
            MinorCase.objects.for_user_at(request.user, current_station(request)),
            now=timezone.now(),
        ).select_related("stay__person", "child")
    )
    page_obj = page_of(request, filtered.qs, columns=CASE_COLUMNS)
    _log_list(request, MinorCase, page_obj, overdue)
    return render(
        request,
        "minors/case_list.html",
        {
            "page_obj": page_obj,
            "overdue": overdue,
            "overdue_ids": {c.pk for c in overdue},
            "filter_form": filtered.form,
        },
    )


@permission_required("minors.add_minorcase", raise_exception=True)
def case_new(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    form = CaseOpenForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        case = services.minor_case_open(
            station=station, acting_user=request.user, **form.cleaned_data
        )
        messages.success(request, _("The case is open."))
        return redirect("minors:case_detail", pk=case.pk)
    return render(request, "minors/form.html", {"form": form, "title": _("Open a minor's case")})


@permission_required("minors.view_minorcase", raise_exception=True)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    overdue = selectors.cases_missing_report(
        MinorCase.objects.filter(pk=case.pk), now=timezone.now()
    ).exists()
    return render(
        request,
        "minors/case_detail.html",
        {
            "case": case,
            "timeline": selectors.case_timeline(case),
            "overdue": overdue,
            "deadline_hours": selectors.policy_for(case.station).report_deadline_hours,
            "history": history_rows(case),
        },
    )


@permission_required("minors.view_minorcase", raise_exception=True)
def case_print(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    return render(
        request,
        "minors/case_print.html",
        {"case": case, "timeline": selectors.case_timeline(case), "printed_at": timezone.now()},
    )


@permission_required("minors.view_minorcase", raise_exception=True)
def case_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable summary as a PDF (the same details and timeline, through WeasyPrint)."""
    from weasyprint import HTML  # imported here: loading it costs time every other page can skip

    case = _case_for(request, pk)
    html = render_to_string(
        "minors/case_summary_pdf.html",
        {"case": case, "timeline": selectors.case_timeline(case), "printed_at": timezone.now()},
        request=request,
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minor-case-{case.pk}.pdf"'
    return response


@permission_required("minors.change_minorcase", raise_exception=True)
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: services.minor_case_update(
                case=case,
                acting_user=request.user,
                expected_version=form.expected_version,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("The case is saved."))
            return redirect("minors:case_detail", pk=case.pk)
    return render(
        request, "minors/form.html", {"form": form, "title": _("Edit the case"), "case": case}
    )


@permission_required("minors.add_counsellingsession", raise_exception=True)
def counselling_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    form = CounsellingForm(request.POST or None, initial={"held_on": core_selectors.local_today()})
    if request.method == "POST" and form.is_valid():
        services.counselling_record(case=case, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The counselling session is recorded."))
        return redirect("minors:case_detail", pk=case.pk)
    return render(
        request,
        "minors/form.html",
        {"form": form, "title": _("Record counselling"), "case": case},
    )


@permission_required("minors.add_mandatoryreport", raise_exception=True)
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    form = MandatoryReportForm(
        request.POST or None,
        initial={
            "reported_at": timezone.localtime().replace(second=0, microsecond=0),
            "recipient": "police",  # the law names the police first
        },
    )
    if request.method == "POST" and form.is_valid():
        services.mandatory_report_record(case=case, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The mandatory report is recorded."))
        return redirect("minors:case_detail", pk=case.pk)
    return render(
        request,
        "minors/form.html",
        {"form": form, "title": _("Record a mandatory report"), "case": case},
    )


@permission_required("minors.change_mandatoryreport", raise_exception=True)
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user_or_404(
        MandatoryReport.objects.select_related("case"), request.user, pk=pk
    )
    case = _case_for(request, report.case_id)
    form = ReportFollowUpForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: services.mandatory_report_update(
                report=report,
                acting_user=request.user,
                expected_version=form.expected_version,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("The mandatory report is saved."))
            return redirect("minors:case_detail", pk=case.pk)
    return render(
        request,
        "minors/form.html",
        {"form": form, "title": _("Receipt and follow-up"), "case": case},
    )


REPORT_COLUMNS = SortableColumns(
    reported="reported_at", recipient="recipient", receipt="receipt_no"
)


@permission_required("minors.view_mandatoryreport", raise_exception=True)
def report_list(request: HttpRequest) -> HttpResponse:
    filtered = selectors.report_list(request.user, current_station(request), request.GET)
    overdue = list(
        selectors.cases_missing_report(
            MinorCase.objects.for_user_at(request.user, current_station(request)),
            now=timezone.now(),
        ).select_related("stay__person", "child")
    )
    page_obj = page_of(request, filtered.qs, columns=REPORT_COLUMNS)
    _log_list(request, MandatoryReport, page_obj, overdue)
    return render(
        request,
        "minors/report_list.html",
        {"page_obj": page_obj, "overdue": overdue, "filter_form": filtered.form},
    )


# --- children registry -----------------------------------------------------------------------


CHILD_COLUMNS = SortableColumns(
    name="name",
    category="category",
    guardian="guardian_name",
    school="school",
    township=("township", "village"),
    last_visit="last_visit",
    next_visit="next_visit_due",
)


@permission_required("minors.view_child", raise_exception=True)
def child_list(request: HttpRequest) -> HttpResponse:
    filtered = selectors.child_list(request.user, current_station(request), request.GET)
    page_obj = page_of(request, filtered.qs, columns=CHILD_COLUMNS)
    without_intervention = selectors.children_without_intervention(
        Child.objects.for_user_at(request.user, current_station(request))
    )
    _log_list(request, Child, page_obj, without_intervention)
    return render(
        request,
        "minors/child_list.html",
        {
            "page_obj": page_obj,
            "filter_form": filtered.form,
            "today": selectors.core_selectors.local_today(),
            "without_intervention": without_intervention,
        },
    )


@permission_required("minors.add_child", raise_exception=True)
def child_new(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    form = ChildForm(request.POST or None, initial={"registered_on": core_selectors.local_today()})
    if request.method == "POST" and form.is_valid():
        child = services.child_register(
            station=station, acting_user=request.user, **form.cleaned_data
        )
        messages.success(request, _("The child is registered."))
        return redirect("minors:child_detail", pk=child.pk)
    return render(request, "minors/form.html", {"form": form, "title": _("Register a child")})


@permission_required("minors.view_child", raise_exception=True)
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child_for(request, pk)
    return render(
        request,
        "minors/child_detail.html",
        {
            "child": child,
            "today": selectors.core_selectors.local_today(),
            "visits": selectors.visits_done(child),
            "planned_visits": selectors.planned_visits(child),
            "followups": child.followups.select_related("worker"),
            "assessments": child.assessments.select_related("assessor"),
            "interventions": child.interventions.select_related("worker"),
            "activities": child.activities.all(),
            "cases": child.cases.all(),
            "history": history_rows(child),
        },
    )


@permission_required("minors.change_child", raise_exception=True)
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child_for(request, pk)
    form = ChildForm(request.POST or None, instance=child)
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: services.child_update(
                child=child,
                acting_user=request.user,
                expected_version=form.expected_version,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("The child's record is saved."))
            return redirect("minors:child_detail", pk=child.pk)
    return render(
        request,
        "minors/form.html",
        {"form": form, "title": _("Edit the child's record"), "child": child},
    )


# kind → (form, service, permission, title)
CHILD_RECORDS = {
    "visit": (VisitForm, services.visit_record, "minors.add_visit", _lazy("Record a visit")),
    "plan": (VisitPlanForm, services.visit_plan, "minors.add_visit", _lazy("Plan a visit")),
    "followup": (
        FollowUpForm,
        services.followup_assign,
        "minors.add_followup",
        _lazy("Assign a long-term follow-up"),
    ),
    "assessment": (
        AssessmentForm,
        services.assessment_record,
        "minors.add_guardianshipassessment",
        _lazy("Record a guardianship assessment"),
    ),
    "intervention": (
        InterventionForm,
        services.intervention_record,
        "minors.add_intervention",
        _lazy("Record a case intervention"),
    ),
}


def child_record_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in CHILD_RECORDS:
        raise Http404
    form_class, service, perm, title = CHILD_RECORDS[kind]
    if not request.user.has_perm(perm):  # the links to this page ask required_permission too
        raise PermissionDenied
    child = _child_for(request, pk)
    date_field = next(iter(form_class.Meta.widgets))
    form = form_class(
        request.POST or None,
        station=child.station,
        initial={
            date_field: core_selectors.local_today(),
            "worker": request.user,
            "assessor": request.user,
        },
    )
    if request.method == "POST" and form.is_valid():
        service(child=child, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("minors:child_detail", pk=child.pk)
    return render(request, "minors/form.html", {"form": form, "title": title, "child": child})


# --- visits planned and due ----------------------------------------------------------------


# The visits due are a list built from two kinds of line (selectors.visits_due), sorted in Python.
DUE_COLUMNS = SortableColumns(
    child="child.name", township=("child.township", "child.village"), date="on"
)


@permission_required("minors.view_visit", raise_exception=True)
def visits_due(request: HttpRequest) -> HttpResponse:
    """The visits to make: planned (已计划) and overdue (已超期), with who is to go and when."""
    filter_form, lines = selectors.visits_due_filtered(
        request.user, current_station(request), request.GET
    )
    page_obj = page_of(request, lines, columns=DUE_COLUMNS)
    _log_list(request, Visit, page_obj)
    return render(
        request, "minors/visits_due.html", {"page_obj": page_obj, "filter_form": filter_form}
    )


@permission_required("minors.change_visit", raise_exception=True)
def visit_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a planned visit as done: the day it took place (not a day to come) and findings."""
    visit = get_for_user_or_404(
        Visit.objects.select_related("child", "worker"), request.user, pk=pk
    )
    child = _child_for(request, visit.child_id)
    if not visit.is_planned:
        messages.info(request, _("This visit is already recorded as done."))
        return redirect("minors:child_detail", pk=child.pk)
    # The form fills a copy: the service reads the visit as it was loaded.
    form = VisitDoneForm(
        request.POST or None,
        instance=copy.copy(visit),
        station=child.station,
        initial={"visited_on": core_selectors.local_today()},
    )
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: services.visit_record_done(
                visit=visit,
                acting_user=request.user,
                expected_version=form.expected_version,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("The visit is recorded as done."))
            return redirect("minors:child_detail", pk=child.pk)
    return render(
        request,
        "minors/form.html",
        {"form": form, "title": _("Record the planned visit as done"), "child": child},
    )


# The permission child_record_add checks, for the links to it (rescue_station.navigation.may_open).
child_record_add.required_permission = lambda pk, kind: (  # type: ignore[attr-defined]
    CHILD_RECORDS[kind][2] if kind in CHILD_RECORDS else None
)


# --- activities ------------------------------------------------------------------------------

FIRST_YEAR = 2024  # the first year of the minors' records: the year selectors start there


@permission_required("minors.view_activity", raise_exception=True)
def activity_calendar(request: HttpRequest) -> HttpResponse:
    month = selectors.activity_calendar(request.user, current_station(request), request.GET)
    first = month.first
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return render(
        request,
        "minors/activity_calendar.html",
        {
            "weeks": month.weeks,
            "first": first,
            "filter_form": month.form,
            # No link to a month whose year the page would refuse.
            "previous": previous if previous.year >= YEAR_MIN else None,
            "following": following if following.year <= year_max() else None,
            "kind": month.kind,
            "today": selectors.core_selectors.local_today(),
            "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
        },
    )


ACTIVITY_COLUMNS = SortableColumns(
    date="held_on",
    kind="kind",
    theme="title",
    venue="venue",
    partner="partner",
    sessions="sessions",
    participants="participants",
)


@permission_required("minors.view_activity", raise_exception=True)
def activity_list(request: HttpRequest) -> HttpResponse:
    year = year_param(request) if request.GET.get("year") else None  # absent: every year
    years = year_options(year_max(), first=FIRST_YEAR, shown=year)
    filtered = selectors.activity_list(
        request.user, current_station(request), request.GET, years=years
    )
    return render(
        request,
        "minors/activity_list.html",
        {
            "page_obj": page_of(request, filtered.qs, columns=ACTIVITY_COLUMNS),
            "filter_form": filtered.form,
        },
    )


@permission_required("minors.add_activity", raise_exception=True)
def activity_new(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    form = ActivityForm(request.POST or None, station=station, initial={"sessions": 1})
    if request.method == "POST" and form.is_valid():
        activity = services.activity_record(
            station=station, acting_user=request.user, **form.cleaned_data
        )
        messages.success(request, _("The activity is recorded."))
        return redirect("minors:activity_detail", pk=activity.pk)
    return render(request, "minors/form.html", {"form": form, "title": _("Record an activity")})


@permission_required("minors.view_activity", raise_exception=True)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_for_user_or_404(Activity, request.user, pk=pk)
    children = list(activity.children.all())
    log_record_read(request, activity, sensitive=bool(children))  # the named children
    return render(
        request,
        "minors/activity_detail.html",
        {"activity": activity, "children": children, "history": history_rows(activity)},
    )


@permission_required("minors.change_activity", raise_exception=True)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_for_user_or_404(Activity, request.user, pk=pk)
    form = ActivityForm(request.POST or None, instance=activity, station=activity.station)
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: services.activity_update(
                activity=activity,
                acting_user=request.user,
                expected_version=form.expected_version,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("The activity is saved."))
            return redirect("minors:activity_detail", pk=activity.pk)
    return render(request, "minors/form.html", {"form": form, "title": _("Edit the activity")})


# --- figures ---------------------------------------------------------------------------------


@permission_required("minors.view_minorcase", raise_exception=True)
def figures(request: HttpRequest) -> HttpResponse:
    """The year's minors figures with the definition of each (what the reports are built from)."""
    station = current_station(request)
    today = selectors.core_selectors.local_today()
    year = year_param(request, last=figures_year_max())  # a year to come has no figures yet
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    keys = [m.key for m in registry.all_metrics() if m.key.startswith("minors.")]
    values = registry.compute_many(keys, station, start, end)
    rows = [
        (m, registry.format_value(m, values[m.key]), _(m.doc))
        for m in registry.all_metrics()
        if m.key in values
    ]
    return render(
        request,
        "minors/figures.html",
        {
            "rows": rows,
            "start": start,
            "end": end,
            "year": year,
            "years": year_options(first=FIRST_YEAR, shown=year),
        },
    )
