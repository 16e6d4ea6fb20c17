"""Pages of the budget: thin views over forms, selectors and services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rescue_station import selectors as core_selectors
from rescue_station.audit import history_rows
from rescue_station.exporting import export_response, workbook_export
from rescue_station.forms import save_through
from rescue_station.models import Station
from rescue_station.paging import page_of
from rescue_station.pickers import picker_response, require_any_perm
from rescue_station.query import YEAR_MIN, SortableColumns, year_max, year_param
from rescue_station.scoping import current_station, get_for_user_or_404
from rescue_station.spreadsheets import (
    ImportResult,
    SheetError,
    read_sheet,
    stash_upload,
    take_upload,
)

from . import forms, pickers, selectors, services
from . import spreadsheets as sheets
from .consistency import budget_findings
from .exporters import ExecutionXLSX
from .models import NATURE_OFFICIAL, BudgetLine, Expenditure, Project
from .types import TOTAL_LINE


def _year(request: HttpRequest, station: Station) -> tuple[int, list[int]]:
    """The year asked for (400 unless from 1900 to next year) and the years the selector
    offers: the station's years within those bounds, and the year asked for."""
    year = year_param(request)
    years = selectors.station_years(station, core_selectors.local_today())
    years = sorted({y for y in years if YEAR_MIN <= y <= year_max()} | {year}, reverse=True)
    return year, years


def _executed_in_cents(rows: Any) -> list[Any]:
    """A page's rows with their annotated ``executed`` sums rounded to the cent."""
    return selectors.exact(rows, "executed")


# The columns each list's headers sort by (rescue_station.query.SortableColumns).
PROJECT_COLUMNS = SortableColumns(
    year="year",
    name="name",
    basis="basis_document",
    function="function_class__code",
    allocated="allocated",
    executed="executed",
    carried="carried_forward",
)
LINE_COLUMNS = SortableColumns(
    number="pk",
    year="year",
    source="source__name",
    nature="nature",
    function="function_class__code",
    initial="initial",
    adjusted="adjusted",
    executed="executed",
    balance="balance",
)
LINE_EXPENDITURE_COLUMNS = SortableColumns(date="date", voucher="voucher_no", amount="amount")
EXPENDITURE_COLUMNS = SortableColumns(
    date="date", voucher="voucher_no", line="line_id", amount="amount"
)


# ---- execution ---------------------------------------------------------------------------------


@permission_required("budget.view_budgetline", raise_exception=True)
def execution(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    year, years = _year(request, station)
    today = core_selectors.local_today()
    block = selectors.budget_block(station=station, year=year)
    total = selectors.ExecutionRow(TOTAL_LINE, *selectors.amounts_tuple(block.total))
    share_on = min(today, date(year, 12, 31))
    context = {
        "station": station,
        "year": year,
        "year_form": forms.YearForm(initial={"year": year}, years=years),
        "total": total,
        "by_source": selectors.rows_by_source(block),
        "by_nature": selectors.rows_by_nature(block),
        "by_function": selectors.rows_by_function_tree(station, year),
        "by_project": selectors.rows_by_project(station, year),
        "months": selectors.monthly(station, year, block.total.adjusted, today),
        "year_share": selectors.year_share(year, share_on),
        "findings": budget_findings(block),
    }
    items = [r for r in context["by_function"] if r.extra["level"] == 3]
    context["function_total"] = selectors.total_row(items, _("Total"))
    return render(request, "budget/execution.html", context)


@permission_required("budget.view_budgetline", raise_exception=True)
def execution_export(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    year, _years = _year(request, station)
    export = ExecutionXLSX(station, year, today=core_selectors.local_today()).render()
    return export_response(export)


# ---- projects ----------------------------------------------------------------------------------


@permission_required("budget.view_project", raise_exception=True)
def project_list(request: HttpRequest) -> HttpResponse:
    filtered = selectors.project_list(request.user, current_station(request), request.GET)
    return render(
        request,
        "budget/project_list.html",
        {
            "filters": filtered.form,
            "page_obj": page_of(
                request, filtered.qs, columns=PROJECT_COLUMNS, rows=_executed_in_cents
            ),
        },
    )


@permission_required("budget.view_project", raise_exception=True)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_for_user_or_404(
        Project.objects.select_related("function_class").with_executed(), request.user, pk=pk
    )
    selectors.exact([project], "executed")
    lines = selectors.exact(
        selectors.with_execution(project.lines.select_related("source", "function_class")),
        "executed",
    )
    return render(
        request,
        "budget/project_detail.html",
        {
            "project": project,
            "lines": lines,
            "carried_forward": project.carried_forward,
            "history": history_rows(project),
        },
    )


@permission_required("budget.add_project", raise_exception=True)
def project_create(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    form = forms.ProjectForm(
        request.POST or None, station=station, initial={"year": core_selectors.local_today().year}
    )
    if request.method == "POST" and form.is_valid():
        project = save_through(
            form,
            lambda: services.project_create(
                station=station, data=form.cleaned_data, acting_user=request.user
            ),
        )
        if project:
            messages.success(request, _("The project was saved."))
            return redirect("budget:project_detail", pk=project.pk)
    return render(request, "budget/form.html", {"form": form, "title": _("New project")})


@permission_required("budget.change_project", raise_exception=True)
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_for_user_or_404(Project, request.user, pk=pk)
    form = forms.ProjectForm(request.POST or None, instance=project, station=project.station)
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: services.project_update(
                project=project,
                data=form.cleaned_data,
                acting_user=request.user,
                expected_version=form.expected_version,
            ),
        )
        if saved:
            messages.success(request, _("The project was saved."))
            return redirect("budget:project_detail", pk=project.pk)
    return render(
        request,
        "budget/form.html",
        {
            "form": form,
            "title": _("Edit project"),
            "back_url": reverse("budget:project_detail", args=[project.pk]),
        },
    )


# ---- budget lines ------------------------------------------------------------------------------


@permission_required("budget.view_budgetline", raise_exception=True)
def line_list(request: HttpRequest) -> HttpResponse:
    filtered = selectors.line_list(request.user, current_station(request), request.GET)
    return render(
        request,
        "budget/line_list.html",
        {
            "filters": filtered.form,
            "page_obj": page_of(
                request, filtered.qs, columns=LINE_COLUMNS, rows=_executed_in_cents
            ),
        },
    )


@permission_required("budget.view_budgetline", raise_exception=True)
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_for_user_or_404(
        selectors.with_execution(
            BudgetLine.objects.select_related("source", "function_class", "project")
        ),
        request.user,
        pk=pk,
    )
    selectors.exact([line], "executed")
    expenditures = line.expenditures.select_related("voided_by").order_by("-date", "-pk")
    return render(
        request,
        "budget/line_detail.html",
        {
            "line": line,
            "row": selectors.ExecutionRow(str(line), line.initial, line.adjusted, line.executed),
            "nature_name": NATURE_OFFICIAL.get(line.nature, line.nature),
            "page_obj": page_of(request, expenditures, columns=LINE_EXPENDITURE_COLUMNS),
            "history": history_rows(line),
        },
    )


@permission_required("budget.add_budgetline", raise_exception=True)
def line_create(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    form = forms.BudgetLineForm(
        request.POST or None, station=station, initial={"year": core_selectors.local_today().year}
    )
    if request.method == "POST" and form.is_valid():
        line = save_through(
            form,
            lambda: services.budget_line_create(
                station=station, data=form.cleaned_data, acting_user=request.user
            ),
        )
        if line:
            messages.success(request, _("The budget line was saved."))
            return redirect("budget:line_detail", pk=line.pk)
    return render(request, "budget/form.html", {"form": form, "title": _("New budget line")})


@permission_required("budget.change_budgetline", raise_exception=True)
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_for_user_or_404(BudgetLine, request.user, pk=pk)
    form = forms.BudgetLineForm(request.POST or None, instance=line, station=line.station)
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: services.budget_line_update(
                line=line,
                data=form.cleaned_data,
                acting_user=request.user,
                expected_version=form.expected_version,
            ),
        )
        if saved:
            messages.success(request, _("The budget line was saved."))
            return redirect("budget:line_detail", pk=line.pk)
    return render(
        request,
        "budget/form.html",
        {
            "form": form,
            "title": _("Edit budget line"),
            "back_url": reverse("budget:line_detail", args=[line.pk]),
        },
    )


# ---- expenditures ------------------------------------------------------------------------------


@permission_required("budget.view_expenditure", raise_exception=True)
def expenditure_list(request: HttpRequest) -> HttpResponse:
    filtered = selectors.expenditure_list(request.user, current_station(request), request.GET)
    expenditures = filtered.qs
    live = expenditures.filter(voided_at__isnull=True)
    total = selectors.cents(live.aggregate(total=selectors.money_sum("amount"))["total"])
    return render(
        request,
        "budget/expenditure_list.html",
        {
            "filters": filtered.form,
            "page_obj": page_of(request, expenditures, columns=EXPENDITURE_COLUMNS),
            "total": total,
        },
    )


@permission_required("budget.add_expenditure", raise_exception=True)
def expenditure_create(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    initial: dict[str, Any] = {"date": core_selectors.local_today()}
    line_id = request.GET.get("line", "")
    if line_id.isdigit():
        initial["line"] = int(line_id)
    form = forms.ExpenditureForm(request.POST or None, station=station, initial=initial)
    if request.method == "POST" and form.is_valid():
        expenditure = save_through(
            form,
            lambda: services.expenditure_record(
                station=station, acting_user=request.user, **form.cleaned_data
            ),
        )
        if expenditure:
            messages.success(request, _("The expenditure was recorded."))
            return redirect("budget:line_detail", pk=expenditure.line_id)
    return render(request, "budget/form.html", {"form": form, "title": _("New expenditure")})


@permission_required("budget.change_expenditure", raise_exception=True)
def expenditure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expenditure = get_for_user_or_404(
        Expenditure.objects.select_related("line", "voided_by"), request.user, pk=pk
    )
    back_url = reverse("budget:line_detail", args=[expenditure.line_id])
    form = forms.ExpenditureForm(
        request.POST or None, instance=expenditure, station=expenditure.line.station
    )
    if request.method == "POST" and not expenditure.voided and form.is_valid():
        saved = save_through(
            form,
            lambda: services.expenditure_update(
                expenditure=expenditure,
                data=form.cleaned_data,
                acting_user=request.user,
                expected_version=form.expected_version,
            ),
        )
        if saved:
            messages.success(request, _("The expenditure was saved."))
            return redirect(back_url)
    return render(
        request,
        "budget/expenditure_edit.html",
        {
            "form": form,
            "expenditure": expenditure,
            "void_form": forms.VoidForm(version_of=expenditure),
            "title": _("Edit expenditure"),
            "back_url": back_url,
            "history": history_rows(expenditure),
        },
    )


@require_POST
@permission_required("budget.change_expenditure", raise_exception=True)
def expenditure_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void (红冲) an expenditure with a reason; it stays in the lists, struck through."""
    expenditure = get_for_user_or_404(
        Expenditure.objects.select_related("line", "voided_by"), request.user, pk=pk
    )
    form = forms.VoidForm(request.POST, version_of=expenditure)
    if form.is_valid():
        voided = save_through(
            form,
            lambda: services.expenditure_void(
                station=current_station(request),
                expenditure=expenditure,
                reason=form.cleaned_data["void_reason"],
                acting_user=request.user,
                expected_version=form.expected_version,
            ),
        )
        if voided:
            messages.success(
                request,
                _("Expenditure %(voucher)s was voided: record the right one anew if need be.")
                % {"voucher": expenditure.voucher_no},
            )
            return redirect("budget:line_detail", pk=expenditure.line_id)
    expenditure.refresh_from_db()
    return render(
        request,
        "budget/expenditure_edit.html",
        {
            "form": forms.ExpenditureForm(instance=expenditure, station=expenditure.line.station),
            "expenditure": expenditure,
            "void_form": form,
            "title": _("Edit expenditure"),
            "back_url": reverse("budget:line_detail", args=[expenditure.line_id]),
            "history": history_rows(expenditure),
        },
        status=400,
    )


# ---- Excel imports -----------------------------------------------------------------------------

IMPORTS = {
    "lines": {
        "headers": sheets.LINE_HEADERS,
        "validate": sheets.validate_lines,
        "service": services.budget_lines_import,
        "template": sheets.template_lines,
        "title": lambda: _("Import budget lines"),
        "done": "budget:line_list",
        "perm": "budget.add_budgetline",
    },
    "expenditures": {
        "headers": sheets.EXPENDITURE_HEADERS,
        "validate": sheets.validate_expenditures,
        "service": services.expenditures_import,
        "template": sheets.template_expenditures,
        "title": lambda: _("Import expenditures"),
        "done": "budget:expenditure_list",
        "perm": "budget.add_expenditure",
    },
}


def _check(data: bytes, kind: str, station: Station) -> tuple[ImportResult, list]:
    spec = IMPORTS[kind]
    records = read_sheet(data, spec["headers"])
    result = spec["validate"](station, records)
    if not records:
        result.error(1, "—", _("The file has no rows under the header."))
    return result, records


def _import(request: HttpRequest, kind: str) -> HttpResponse:
    spec = IMPORTS[kind]
    station = current_station(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "title": spec["title"](), "kind": kind}
    if request.method == "POST" and "token" in request.POST:
        data = take_upload(request, request.POST["token"])
        if data is None:
            messages.error(request, _("The upload has expired: choose the file again."))
            return redirect(request.path)
        result, _records = _check(data, kind, station)
        if result.ok:
            saved = spec["service"](station=station, rows=result.rows, acting_user=request.user)
            messages.success(request, _("%(n)s rows imported.") % {"n": len(saved)})
            return redirect(spec["done"])
        context["result"] = result
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            result, records = _check(data, kind, station)
        except SheetError as error:
            form.add_error("file", str(error))
        else:
            context["result"] = result
            if result.ok:
                context["token"] = stash_upload(request, data)
                context["headers"] = spec["headers"]
                context["preview"] = [
                    (number, [record.get(h, "") for h in spec["headers"]])
                    for number, record in records[: settings.IMPORT_PREVIEW_ROWS]
                ]
                context["preview_total"] = len(records)
    return render(request, "budget/import.html", context)


@permission_required("budget.add_budgetline", raise_exception=True)
def import_lines(request: HttpRequest) -> HttpResponse:
    return _import(request, "lines")


@permission_required("budget.add_expenditure", raise_exception=True)
def import_expenditures(request: HttpRequest) -> HttpResponse:
    return _import(request, "expenditures")


@permission_required("budget.view_budgetline", raise_exception=True)
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    spec = IMPORTS.get(kind)
    if spec is None:
        raise Http404
    station = current_station(request)
    year, _years = _year(request, station)
    names = {"lines": "预算指标导入模板", "expenditures": "支出明细导入模板"}
    return export_response(workbook_export(spec["template"](station, year), f"{names[kind]}.xlsx"))


def pick_lines(request: HttpRequest) -> JsonResponse:
    """The expenditure form's line picker: the current station's lines matching ``?q=``."""
    require_any_perm(request.user, "budget.add_expenditure", "budget.change_expenditure")
    station = current_station(request)
    return picker_response(
        request,
        pickers.lines_pickable(request.user, station),
        pickers.line_search,
        pickers.line_label,
    )


def pick_projects(request: HttpRequest) -> JsonResponse:
    """The budget line form's project picker."""
    require_any_perm(request.user, "budget.add_budgetline", "budget.change_budgetline")
    station = current_station(request)
    return picker_response(
        request,
        pickers.projects_pickable(request.user, station),
        pickers.project_search,
        pickers.project_label,
    )
