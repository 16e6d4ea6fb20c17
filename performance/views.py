"""Pages of the performance app: frameworks, indicators, the self-evaluation form and its files."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rescue_station import registry
from rescue_station.audit import history_rows
from rescue_station.exporting import export_response
from rescue_station.forms import VersionForm, error_text, errors_to_form, save_through
from rescue_station.scoping import current_station, get_for_user_or_404
from rescue_station.sections import saved_in_section
from rescue_station.spreadsheets import stash_upload, take_upload
from rescue_station.uploads import content_type_of

from . import services
from .exporters import FrameworkXLSX, evaluation_export
from .forms import (
    AcknowledgeForm,
    CopyForm,
    FrameworkCreateForm,
    FrameworkForm,
    ImportConfirmForm,
    IndicatorForm,
    NarrativeForm,
    NotesForm,
    ReopenForm,
    WeightFixForm,
)
from .models import FindingAcknowledgement, Framework, Indicator
from .report import plain, snapshot_digest
from .selectors import (
    compute_report,
    copy_preview,
    evaluation_for,
    evaluation_report,
    narrative_drafts,
    weight_fixes,
)
from .sheets import parse_framework_sheet


def _framework(request: HttpRequest, pk: int) -> Framework:
    return get_for_user_or_404(Framework.objects.select_related("station"), request.user, pk=pk)


def _until_final(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An edit page of a finalised year is not offered at all (the services refuse the write
    too): the reader is sent back to the framework, which shows the lines as text."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        framework = _framework(request, pk)
        if evaluation_for(framework).is_final:
            messages.info(
                request,
                _("The evaluation is finalised: a station head must reopen it before changes."),
            )
            return redirect("performance:framework", pk=framework.pk)
        return view(request, pk, *args, **kwargs)

    return wrapper


def _station_frameworks(request: HttpRequest, station) -> QuerySet[Framework]:
    """The station's frameworks for the index and the copy choice: the station (in each label),
    the evaluation and the number of lines come in the same query, whatever the number of years."""
    return (
        Framework.objects.for_user_at(request.user, station)
        .select_related("station", "evaluation")
        .annotate(indicator_count=Count("indicators"))
        .order_by("-year")
    )


@permission_required("performance.view_framework", raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    frameworks = _station_frameworks(request, station)
    form = FrameworkCreateForm(frameworks=frameworks)
    return render(
        request,
        "performance/index.html",
        {"station": station, "frameworks": frameworks, "form": form},
    )


@require_POST
@permission_required("performance.add_framework", raise_exception=True)
def framework_create(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    frameworks = _station_frameworks(request, station)
    form = FrameworkCreateForm(request.POST, frameworks=frameworks)
    if form.is_valid():
        try:
            source = form.cleaned_data["copy_from"]
            if source:
                framework = services.framework_copy(
                    source=source, year=form.cleaned_data["year"], acting_user=request.user
                )
            else:
                framework = services.framework_create(
                    station=station, year=form.cleaned_data["year"], acting_user=request.user
                )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The framework was created."))
            return redirect("performance:framework", pk=framework.pk)
    return render(
        request,
        "performance/index.html",
        {"station": station, "frameworks": frameworks, "form": form},
        status=400,
    )


@permission_required("performance.view_framework", raise_exception=True)
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The framework editor: settings, the indicator lines and their sources."""
    framework = _framework(request, pk)
    evaluation = evaluation_for(framework)
    report = evaluation_report(framework)
    rows = {r.indicator_id: r for r in report.rows}
    labels = {m.key: m.label for m in registry.all_metrics()}
    indicators = [(i, rows.get(i.pk), labels.get(i.metric_key)) for i in framework.indicators.all()]
    fixes = weight_fixes(framework) if not evaluation.is_final else {}
    return render(
        request,
        "performance/framework.html",
        {
            "framework": framework,
            "evaluation": evaluation,
            "report": report,
            "indicators": indicators,
            "fixes": [(i, fixes[i.pk]) for i, _row, _label in indicators if i.pk in fixes],
            "history": history_rows(framework),
        },
    )


@permission_required("performance.change_framework", raise_exception=True)
@_until_final
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    form = FrameworkForm(request.POST or None, instance=framework)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in FrameworkForm.Meta.fields}
        values["declared_weights"] = form.cleaned_data["declared_text"]
        try:
            services.framework_update(
                framework=Framework.objects.get(pk=framework.pk),
                acting_user=request.user,
                expected_version=form.expected_version,
                **values,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The framework was saved."))
            return redirect("performance:framework", pk=framework.pk)
    return render(
        request, "performance/framework_edit.html", {"framework": framework, "form": form}
    )


@permission_required("performance.change_indicator", raise_exception=True)
@_until_final
def indicator_edit(request: HttpRequest, pk: int, indicator_pk: int | None = None) -> HttpResponse:
    if indicator_pk is None and not request.user.has_perm("performance.add_indicator"):
        raise PermissionDenied  # a new line needs the add permission, not only change
    framework = _framework(request, pk)
    indicator = None
    if indicator_pk is not None:
        indicator = get_for_user_or_404(
            Indicator.objects.filter(framework=framework), request.user, pk=indicator_pk
        )
    form = IndicatorForm(request.POST or None, request.FILES or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        values = {
            name: form.cleaned_data[name]
            for name in IndicatorForm.Meta.fields
            if name != "evidence_file" or form.cleaned_data[name] is not None
        }
        try:
            services.indicator_save(
                framework=framework,
                acting_user=request.user,
                indicator=Indicator.objects.get(pk=indicator.pk) if indicator else None,
                expected_version=form.expected_version,
                **values,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect("performance:framework", pk=framework.pk)
    row = None
    if indicator is not None:
        row = next(
            (r for r in evaluation_report(framework).rows if r.indicator_id == indicator.pk), None
        )
    return render(
        request,
        "performance/indicator_edit.html",
        {"framework": framework, "indicator": indicator, "form": form, "row": row},
    )


@require_POST
@permission_required("performance.change_indicator", raise_exception=True)
@_until_final
def indicator_weight_fix(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    """The weights finding's one-step change (e.g. 20 → 10), from the framework page's button."""
    framework = _framework(request, pk)
    indicator = get_for_user_or_404(
        Indicator.objects.filter(framework=framework), request.user, pk=indicator_pk
    )
    form = WeightFixForm(request.POST, version_of=indicator)
    if form.is_valid():
        try:
            services.indicator_weight_fix(
                indicator=indicator,
                weight=form.cleaned_data["weight"],
                acting_user=request.user,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The weight of %(line)s is now %(weight)s.")
                % {"line": indicator.name, "weight": plain(form.cleaned_data["weight"])},
            )
            return redirect("performance:framework", pk=framework.pk)
    messages.error(request, " ".join(str(e) for e in form.non_field_errors()) or _("Refused."))
    return redirect("performance:framework", pk=framework.pk)


@permission_required("performance.view_indicator", raise_exception=True)
def indicator_evidence(request: HttpRequest, pk: int, indicator_pk: int) -> FileResponse:
    """A manual line's evidence file, served only through the station-scoped indicator."""
    framework = _framework(request, pk)
    indicator = get_for_user_or_404(
        Indicator.objects.filter(framework=framework), request.user, pk=indicator_pk
    )
    if not indicator.evidence_file:
        raise Http404
    return FileResponse(
        indicator.evidence_file.open("rb"),
        as_attachment=True,
        filename=indicator.evidence_file.name.rsplit("/", 1)[-1],
        content_type=content_type_of(indicator.evidence_file),
    )


@require_POST
@permission_required("performance.change_framework", raise_exception=True)
@_until_final
def indicator_delete(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    indicator = get_for_user_or_404(
        Indicator.objects.filter(framework=framework), request.user, pk=indicator_pk
    )
    form = VersionForm(request.POST, version_of=indicator)
    if form.is_valid():
        try:
            services.indicator_delete(
                indicator=indicator,
                acting_user=request.user,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The indicator was removed."))
            return redirect("performance:framework", pk=framework.pk)
    # Back to the line as it is now (someone may have changed it since the page was loaded).
    messages.error(request, " ".join(form.non_field_errors()))
    return redirect("performance:indicator_edit", pk=framework.pk, indicator_pk=indicator.pk)


@permission_required("performance.view_evaluation", raise_exception=True)
def evaluation_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The self-evaluation form (自评表) in the official layout, with the notes beside each line."""
    framework = _framework(request, pk)
    evaluation = evaluation_for(framework)
    report = evaluation_report(framework)
    indicators = list(framework.indicators.all())
    notes_form = None
    can_edit = not evaluation.is_final and request.user.has_perm("performance.change_indicator")
    if can_edit:
        notes_form = NotesForm(request.POST or None, indicators=indicators)
        if request.method == "POST" and notes_form.is_valid():
            saved = save_through(
                notes_form,
                lambda: services.indicator_notes_save(
                    framework=framework, notes=notes_form.notes(), acting_user=request.user
                ),
            )
            if saved is not None:
                return saved_in_section(
                    request,
                    reverse("performance:form", args=[framework.pk]),
                    "notes",
                    _("The deviation notes were saved."),
                )
    elif request.method == "POST":
        return HttpResponse(status=403)
    by_pk = {i.pk: i for i in indicators}
    note_rows = []
    for row in report.rows:
        indicator = by_pk.get(row.indicator_id)
        fields = None
        if notes_form is not None and indicator is not None:
            fields = (
                notes_form[f"deviation-{indicator.pk}"],
                notes_form[f"measure-{indicator.pk}"],
            )
        note_rows.append((row, fields))
    return render(
        request,
        "performance/evaluation.html",
        {
            "framework": framework,
            "evaluation": evaluation,
            "report": report,
            "notes_form": notes_form,
            "note_rows": note_rows,
            "reopen_form": ReopenForm(),
            "ack_form": _acknowledge_form(request, framework, evaluation, report),
            "seal_intact": bool(evaluation.snapshot)
            and snapshot_digest(evaluation.snapshot) == evaluation.snapshot_sha256,
            "history": history_rows(evaluation) if evaluation.pk else [],
        },
    )


def _acknowledge_form(
    request: HttpRequest, framework: Framework, evaluation, report
) -> AcknowledgeForm | None:
    """For a station head, a draft with errors: the acknowledgements to finalise it as it is
    (those written before a reopening filled in)."""
    if evaluation.is_final or not report.has_errors:
        return None
    if not request.user.has_perm("performance.finalise_evaluation"):
        return None
    kept = {}
    if evaluation.pk:
        for a in FindingAcknowledgement.objects.filter(evaluation=evaluation):
            kept[f"{a.code}|{a.subject}"] = a.text
    # What was typed before a refused finalising comes back, over what was kept before.
    returned = request.session.pop(_ack_draft_key(framework), None) or {}
    kept.update(returned)
    form = AcknowledgeForm(errors=report.errors, initial_texts=kept)
    form.returned = bool(returned)
    return form


def _ack_draft_key(framework: Framework) -> str:
    return f"performance:acknowledgements:{framework.pk}"


@permission_required("performance.view_evaluation", raise_exception=True)
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return export_response(evaluation_export(_framework(request, pk), "pdf"))


@permission_required("performance.view_evaluation", raise_exception=True)
def evaluation_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return export_response(evaluation_export(_framework(request, pk), "xlsx"))


@permission_required("performance.view_evaluation", raise_exception=True)
def evaluation_json(request: HttpRequest, pk: int) -> HttpResponse:
    return export_response(evaluation_export(_framework(request, pk), "json"))


@permission_required("performance.change_reportsection", raise_exception=True)
@_until_final
def narrative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    evaluation = services.evaluation_ensure(framework=framework, acting_user=request.user)
    sections = {s.key: s for s in evaluation.sections.all()}
    drafted = request.method == "GET" and "draft" in request.GET
    drafts = narrative_drafts(framework) if drafted else None
    form = NarrativeForm(request.POST or None, sections=sections, drafts=drafts)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_sections_set(
                evaluation=evaluation,
                texts=form.texts(),
                versions=form.section_versions(),
                acting_user=request.user,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The report text was saved."))
            return redirect("performance:form", pk=framework.pk)
    return render(
        request,
        "performance/narrative_edit.html",
        {"framework": framework, "evaluation": evaluation, "form": form, "drafted": drafted},
    )


@require_POST
@permission_required("performance.finalise_evaluation", raise_exception=True)
def evaluation_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    acknowledgements = None
    if "acknowledge" in request.POST:
        form = AcknowledgeForm(request.POST, errors=compute_report(framework).errors)
        form.is_valid()
        acknowledgements = form.acknowledgements()
    try:
        evaluation = services.evaluation_finalise(
            framework=framework, acting_user=request.user, acknowledgements=acknowledgements
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        if acknowledgements:
            # Refused: nothing is saved, but what the head wrote is offered again on the page.
            request.session[_ack_draft_key(framework)] = {
                key: text for key, text in acknowledgements.items() if text
            }
    else:
        messages.success(
            request,
            _("The evaluation was finalised. SHA-256 of its PDF: %(sha)s")
            % {"sha": evaluation.pdf_sha256},
        )
    return redirect("performance:form", pk=framework.pk)


@require_POST
@permission_required("performance.reopen_evaluation", raise_exception=True)
def evaluation_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the evaluation is reopened."))
        return redirect("performance:form", pk=framework.pk)
    try:
        services.evaluation_reopen(
            framework=framework, acting_user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The evaluation was reopened."))
    return redirect("performance:form", pk=framework.pk)


@permission_required("performance.add_framework", raise_exception=True)
def framework_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Start next year from this framework, with the actuals on record and a suggested target."""
    source = _framework(request, pk)
    years, lines = copy_preview(source)
    form = CopyForm(request.POST or None, lines=lines, year=source.year + 1)
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_copy(
                source=source,
                year=form.cleaned_data["year"],
                acting_user=request.user,
                targets=form.targets(),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The framework was created."))
            return redirect("performance:framework", pk=framework.pk)
    return render(
        request,
        "performance/framework_copy.html",
        {"framework": source, "years": years, "form": form},
    )


@permission_required("performance.view_framework", raise_exception=True)
def framework_export(request: HttpRequest, pk: int) -> HttpResponse:
    return export_response(FrameworkXLSX(_framework(request, pk)).render())


# The import replaces the lines: it adds as well as changes.
@permission_required(
    ["performance.add_indicator", "performance.change_indicator"], raise_exception=True
)
@_until_final
def framework_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload, preview (nothing saved), confirm: the framework's lines are replaced at once."""
    framework = _framework(request, pk)
    context: dict = {"framework": framework}
    if request.method == "POST" and "token" in request.POST:
        data = take_upload(request, request.POST["token"])
        result = parse_framework_sheet(data) if data else None
        if result is None or not result.ok:
            messages.error(request, _("The upload expired: choose the file again."))
            return redirect("performance:framework_import", pk=framework.pk)
        confirm = ImportConfirmForm(request.POST, indicators=list(framework.indicators.all()))
        confirm.is_valid()
        imported = save_through(
            confirm,
            lambda: services.framework_import(
                framework=framework,
                rows=result.rows,
                acting_user=request.user,
                versions=confirm.line_versions(),
            ),
        )
        if imported is None and confirm.conflict:
            # The preview again, with the line someone changed since: confirmable once seen.
            context.update(result=result, conflict=confirm.non_field_errors())
            return _import_preview(request, context, data)
        if imported is None:
            messages.error(request, " ".join(confirm.non_field_errors()))
        else:
            messages.success(request, _("The indicators were imported."))
        return redirect("performance:framework", pk=framework.pk)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose an Excel file."))
            return redirect("performance:framework_import", pk=framework.pk)
        data = upload.read()
        result = parse_framework_sheet(data)
        context["result"] = result
        if result.ok:
            return _import_preview(request, context, data)
    return render(request, "performance/framework_import.html", context)


def _import_preview(request: HttpRequest, context: dict, data: bytes) -> HttpResponse:
    """The rows to import, and the confirmation carrying the versions of the lines they replace."""
    context["token"] = stash_upload(request, data)
    context["confirm"] = ImportConfirmForm(
        initial={"token": context["token"]}, indicators=list(context["framework"].indicators.all())
    )
    return render(request, "performance/framework_import.html", context)
