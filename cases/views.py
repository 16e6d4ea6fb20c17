"""Pages of the cases app: thin views that parse a form, call one service, and redirect."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required, user_passes_test
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from rescue_station import selectors as core_selectors
from rescue_station.access_log import log_list_read, log_record_read
from rescue_station.exporting import Export, export_response, workbook_export
from rescue_station.forms import VersionedFormMixin, error_text, errors_to_form
from rescue_station.paging import page_of
from rescue_station.pickers import picker_response, require_any_perm
from rescue_station.query import SortableColumns, safe_next
from rescue_station.scoping import current_station, get_for_user_or_404
from rescue_station.sections import saved_in_section, section_tag
from rescue_station.spreadsheets import (
    SheetError,
    preview_context,
    read_sheet,
    stash_upload,
    take_upload,
)
from rescue_station.uploads import content_type_of
from rescue_station.validators import mask_id_number

from . import forms, ledger, pickers, selectors, services
from .exporters import RecordListXLSX, StayListXLSX
from .filters import PeriodFilter, TicketFilter
from .models import (
    BelongingsItem,
    CareInstitution,
    ExitType,
    GatheringArea,
    Inspection,
    LongStay,
    Person,
    SafetyCheck,
    SafetyIncident,
    Stay,
    StayExtension,
    StreetPatrol,
    Ticket,
)


def _stay_reader(user: Any) -> bool:
    """A stay's read pages: for readers of the stays, and for the minors' roles, who reach only
    minors' stays (selectors.stays_readable). A test of ``user_passes_test``, so that a link to
    such a page is shown only to those who may open it (navigation.may_open)."""
    if not selectors.can_read_stays(user):
        raise PermissionDenied
    return True


_stay_readers = user_passes_test(_stay_reader)


def _log_minors_shown(
    request: HttpRequest, station: Any, model: type[models.Model], rows: list[Any], named: bool
) -> None:
    """A list whose rows name minors (``named``) is in the access log, with its filter."""
    log_list_read(
        request,
        station_id=station.pk,
        model=model,
        row_count=len(rows),
        sensitive=named and selectors.can_see_minors(request.user),
    )


# ---- the board and the stay list


@permission_required("cases.view_stay", raise_exception=True)
def board(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    rows = selectors.board(request.user, station)
    _log_minors_shown(request, station, Stay, rows, any(r.stay.is_minor for r in rows))
    return render(
        request,
        "cases/board.html",
        {
            "station": station,
            "rows": rows,
            "over_limit": sum(r.over_limit for r in rows),
            "minors": sum(r.stay.is_minor for r in rows),
        },
    )


def _filtered(request: HttpRequest) -> tuple[forms.StayFilterForm, Any]:
    filtered = selectors.stay_filter(request.user, current_station(request), request.GET)
    return filtered.form, filtered.qs


STAY_COLUMNS = SortableColumns(
    number="pk",
    person="person__name",
    admitted="admitted_at",
    source="source",
    departure="left_at",
)


@permission_required("cases.view_stay", raise_exception=True)
def stay_list(request: HttpRequest) -> HttpResponse:
    form, stays = _filtered(request)
    page_obj = page_of(request, stays, columns=STAY_COLUMNS)
    rows = list(page_obj)
    _log_minors_shown(request, current_station(request), Stay, rows, any(s.is_minor for s in rows))
    return render(
        request,
        "cases/stay_list.html",
        {
            "filter_form": form,
            "page_obj": page_obj,
            "show_minors": selectors.can_see_minors(request.user),
            "today": core_selectors.local_today(),
        },
    )


@permission_required("cases.view_stay", raise_exception=True)
def stay_export(request: HttpRequest) -> HttpResponse:
    _form, stays = _filtered(request)
    export = StayListXLSX(
        stays,
        show_minors=selectors.can_see_minors(request.user),
        today=core_selectors.local_today(),
    ).render()
    _log_export(request, Stay, export)
    return export_response(export)


# ---- intake


@permission_required("cases.add_stay", raise_exception=True)
def stay_create(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    form = forms.IntakeForm(
        request.POST or None,
        request.FILES or None,
        choosable=selectors.returning_choosable(request.user, station),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stay = services.stay_register(
                station=station,
                acting_user=request.user,
                person=data.get("returning_person"),
                admitted_at=data["admitted_at"],
                source=data["source"],
                identified=data["identified"],
                person_data=form.person_data(),
                photo=data.get("photo"),
                brought_by=data["brought_by"],
                reason=data["reason"],
                unable_to_communicate=data["unable_to_communicate"],
                safety_checked=data["safety_checked"],
                temperature=data["temperature"],
                health_status=data["health_status"],
                health_note=data["health_note"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if selectors.earlier_stays(stay).exists():
                messages.warning(request, _("This person has been here before: see earlier stays."))
            if stay.name_at_intake and stay.name_at_intake != stay.person.name:
                messages.warning(
                    request,
                    _(
                        "The name given (%(given)s) is not the one of the person's record "
                        "(%(recorded)s): the stay keeps the name given. Correct the identity if "
                        "the record is wrong."
                    )
                    % {"given": stay.name_at_intake, "recorded": stay.person.name},
                )
            messages.success(request, _("The intake is registered."))
            return redirect("cases:stay_detail", pk=stay.pk)
    return render(request, "cases/stay_form.html", {"form": form})


RETURNING_REASONS = {
    selectors.ReturningReason.SAME_ID_NUMBER: _lazy("Same ID number"),
    selectors.ReturningReason.SAME_NAME_YEAR_HOMETOWN: _lazy("Same name, birth year and hometown"),
    selectors.ReturningReason.SAME_PINYIN_YEAR: _lazy("Same pinyin and birth year"),
    selectors.ReturningReason.SIMILAR_NAME: _lazy("Similar name"),
}


@permission_required("cases.add_stay", raise_exception=True)
def returning_search(request: HttpRequest) -> JsonResponse:
    """The earlier persons of the station who may be the one the clerk is registering (the
    intake page asks as the clerk types): JSON, ID numbers masked as lists mask them."""
    station = current_station(request)
    form = forms.ReturningQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"candidates": [], "errors": form.errors}, status=400)
    data = form.cleaned_data
    candidates = selectors.returning_candidates(
        request.user,
        station,
        name=data["name"],
        id_number=data["id_number"],
        birth_year=data["birth_date"].year if data["birth_date"] else None,
        hometown=data["hometown"],
    )
    if candidates:
        minors = selectors.persons_came_as_minors([c.person.pk for c in candidates])
        log_list_read(
            request,
            station_id=station.pk,
            model=Person,
            row_count=len(candidates),
            sensitive=bool(minors),
        )
    rows = [
        {
            "id": c.person.pk,
            "name": c.person.name,
            "birth_year": c.birth_year,
            "hometown": c.person.hometown,
            "id_number": mask_id_number(c.person.id_number),
            "stays": c.stay_count,
            "last_admitted_on": c.last_admitted_on.isoformat() if c.last_admitted_on else None,
            "last_left_on": c.last_left_on.isoformat() if c.last_left_on else None,
            "reason": c.reason,
            "reason_label": str(RETURNING_REASONS[c.reason]),
            "same_id_number": c.reason == selectors.ReturningReason.SAME_ID_NUMBER,
        }
        for c in candidates
    ]
    return JsonResponse({"candidates": rows})


def _stay(request: HttpRequest, pk: int) -> Stay:
    """A stay the user may read; a page showing a minor's stay (GET, when served) is logged."""
    stay = get_for_user_or_404(
        selectors.stays_readable(request.user).select_related(
            "person", "station", "registered_by", "safety_checked_by", "refused_by"
        ),
        request.user,
        pk=pk,
    )
    log_record_read(request, stay, sensitive=stay.is_minor)
    return stay


@_stay_readers
def stay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay(request, pk)
    return render(request, "cases/stay_detail.html", _detail_context(request, stay))


def _detail_context(request: HttpRequest, stay: Stay, **forms_: Any) -> dict[str, Any]:
    today = core_selectors.local_today()
    data = None
    show_identity = selectors.can_see_minors(request.user) or not stay.is_minor
    context: dict[str, Any] = {
        "stay": stay,
        "person": stay.person,
        "nights": stay.nights(today),
        "over_limit": stay.is_over_limit(today),
        "timeline": selectors.timeline(stay, show_identity=show_identity),
        "history": selectors.stay_history(stay, show_identity=show_identity),
        "earlier": selectors.earlier_stays(stay),
        "belongings": stay.belongings.all(),
        "extensions": stay.extensions.select_related("requested_by", "decided_by"),
        "escort": getattr(stay, "escort", None),
        "can_change": request.user.has_perm("cases.change_stay"),
        "can_approve": request.user.has_perm("cases.approve_extension"),
        "show_identity": show_identity,
        "checks_form": forms.ChecksForm(data, instance=stay, prefix="checks"),
        "care_form": forms.CareForm(
            data,
            prefix="care",
            version_of=stay,
            initial={
                "food": stay.care_food,
                "lodging": stay.care_lodging,
                "clothing": stay.care_clothing,
            },
        ),
        "belongings_form": forms.BelongingsForm(data, prefix="belongings"),
        "referral_form": forms.ReferralForm(
            data, prefix="referral", initial={"referred_on": today}
        ),
        "tracing_form": forms.TracingForm(data, prefix="tracing", initial={"done_on": today}),
        "extension_form": forms.ExtensionForm(data, prefix="extension"),
        "settle_form": forms.SettleForm(prefix="settle"),
        "refusal_form": forms.RefusalForm(data, prefix="refusal", version_of=stay),
        "refused": stay.exit_type == ExitType.HELP_REFUSED,
    }
    context.update(forms_)
    return context


# Each event form on the detail page: (form factory, service call with the cleaned data).
EVENTS: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "checks": (
        lambda data, stay: forms.ChecksForm(data, instance=stay, prefix="checks"),
        lambda stay, user, d: services.stay_update_checks(stay=stay, acting_user=user, **d),
    ),
    "care": (
        lambda data, stay: forms.CareForm(data, prefix="care", version_of=stay),
        lambda stay, user, d: services.stay_record_care(stay=stay, acting_user=user, **d),
    ),
    "belongings": (
        lambda data, stay: forms.BelongingsForm(data, prefix="belongings"),
        lambda stay, user, d: services.belongings_add(stay=stay, acting_user=user, **d),
    ),
    "referral": (
        lambda data, stay: forms.ReferralForm(data, prefix="referral"),
        lambda stay, user, d: services.referral_add(stay=stay, acting_user=user, **d),
    ),
    "tracing": (
        lambda data, stay: forms.TracingForm(data, prefix="tracing"),
        lambda stay, user, d: services.tracing_add(stay=stay, acting_user=user, **d),
    ),
    "extension": (
        lambda data, stay: forms.ExtensionForm(data, prefix="extension"),
        lambda stay, user, d: services.extension_request(stay=stay, acting_user=user, **d),
    ),
    "refusal": (
        lambda data, stay: forms.RefusalForm(data, prefix="refusal", version_of=stay),
        lambda stay, user, d: services.stay_refuse_help(stay=stay, acting_user=user, **d),
    ),
}


@require_POST
@permission_required("cases.change_stay", raise_exception=True)
def stay_event(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in EVENTS:
        raise Http404
    stay = _stay(request, pk)
    make_form, call = EVENTS[kind]
    form = make_form(request.POST, stay)
    if form.is_valid():
        # A ModelForm is copied into the service's keywords; the instance itself is never saved.
        data = dict(form.cleaned_data)
        if isinstance(form, VersionedFormMixin) and form.versions:
            # An edit of the stay (not a record added to it) is saved from the form's version.
            data["expected_version"] = form.expected_version
        if kind == "checks":
            # The model form has put the values on the instance already: start from the database.
            stay.refresh_from_db()
        try:
            call(stay, request.user, data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            return saved_in_section(
                request, reverse("cases:stay_detail", args=[stay.pk]), kind, _("Saved.")
            )
    stay.refresh_from_db()
    context = _detail_context(request, stay, **{f"{kind}_form": form})
    conflict = getattr(form, "conflict", None)
    return render(request, "cases/stay_detail.html", context, status=409 if conflict else 400)


@require_POST
@permission_required("cases.change_stay", raise_exception=True)
def belongings_settle(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_for_user_or_404(BelongingsItem, request.user, pk=item_pk, stay_id=pk)
    form = forms.SettleForm(request.POST, prefix="settle", version_of=item)
    if form.is_valid():
        try:
            services.belongings_settle(
                item=item,
                acting_user=request.user,
                returned=form.cleaned_data["returned"],
                reason=form.cleaned_data["reason"],
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            return saved_in_section(
                request, reverse("cases:stay_detail", args=[pk]), "belongings-list", _("Saved.")
            )
    if form.conflict:
        # The stay's page with the other person's change and the item's form as it was typed.
        context = _detail_context(
            request, _stay(request, pk), settle_form=form, settle_item=item.pk
        )
        return render(request, "cases/stay_detail.html", context, status=409)
    # Field errors too (a reason too long), not only the missing reason.
    messages.error(
        request,
        " ".join(e for errors in form.errors.values() for e in errors),
        extra_tags=section_tag("belongings-list"),
    )
    return redirect(reverse("cases:stay_detail", args=[pk]) + "#belongings-list")


@require_POST
@permission_required("cases.approve_extension", raise_exception=True)
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    extension = get_for_user_or_404(StayExtension, request.user, pk=pk)
    decision = request.POST.get("decision")
    # Back to where the decision was made (the stay, or the station head's inbox).
    back = safe_next(request, reverse("cases:stay_detail", args=[extension.stay_id]))
    if decision not in ("approve", "refuse"):
        # Anything but the two buttons' values is neither decision: it changes nothing.
        messages.error(request, _("Choose to approve or to refuse the extension."))
        return redirect(back)
    try:
        services.extension_decide(
            extension=extension,
            acting_user=request.user,
            approve=decision == "approve",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The extension is decided."))
    return redirect(back)


@permission_required("cases.change_stay", raise_exception=True)
def stay_depart(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay(request, pk)
    if not stay.is_present:
        messages.error(request, _("The person has already left."))
        return redirect("cases:stay_detail", pk=stay.pk)
    form = forms.DepartureForm(request.POST or None, stay=stay)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        escort = None
        if data["exit_type"] == ExitType.ESCORTED_HOME:
            escort = services.EscortData(
                **{k: data[k] for k in forms.DepartureForm.ESCORT_FIELDS},
                handed_over_to=data["handed_over_to"],
                handover_signed=data["handover_signed"],
            )
        try:
            services.stay_depart(
                stay=stay,
                acting_user=request.user,
                left_at=data["left_at"],
                exit_type=data["exit_type"],
                satisfaction=data["satisfaction"],
                note=data["note"],
                return_items=[int(pk) for pk in data.get("return_items", [])],
                escort=escort,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            stay.refresh_from_db()
            errors_to_form(form, error)
        else:
            messages.success(request, _("The departure is recorded."))
            return redirect("cases:stay_detail", pk=stay.pk)
    return render(
        request,
        "cases/depart_form.html",
        {"stay": stay, "form": form, "belongings": stay.belongings.all()},
    )


@permission_required("cases.change_stay", raise_exception=True)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay(request, pk)
    if stay.is_minor and not selectors.can_see_minors(request.user):
        # The form would show the minor's name and ID number: the minors' roles edit them.
        raise PermissionDenied
    person = stay.person
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    initial["identified"] = person.identified
    form = forms.IdentityForm(
        request.POST or None, request.FILES or None, initial=initial, version_of=person
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_identify(
                person=person,
                acting_user=request.user,
                data=form.person_data(),
                identified=form.cleaned_data["identified"],
                photo=form.cleaned_data.get("photo"),
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:stay_detail", pk=stay.pk)
    return render(request, "cases/person_form.html", {"stay": stay, "form": form})


@_stay_readers
def person_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The person's photo, served only through the stay (media files are not public)."""
    stay = _stay(request, pk)
    if not stay.person.photo or not (selectors.can_see_minors(request.user) or not stay.is_minor):
        raise Http404
    photo = stay.person.photo
    return FileResponse(photo.open("rb"), content_type=content_type_of(photo))


# ---- printable forms


# The station's paper forms, by their official names (workflow.md, registration).
PRINT_FORMS = {
    "registration": "求助登记表",
    "departure": "在站服务及离站登记表",
    "self_leave": "自行离站声明书",
    "termination": "终止救助通知书",
    "refusal": "不予救助通知书",
}


@_stay_readers
def stay_print(request: HttpRequest, pk: int, form: str, fmt: str = "html") -> HttpResponse:
    if form not in PRINT_FORMS:
        raise Http404
    stay = _stay(request, pk)
    refused = stay.exit_type == ExitType.HELP_REFUSED
    # The refusal notice exists only for a refused request, which has no termination notice.
    if (form == "refusal" and not refused) or (form == "termination" and refused):
        raise Http404
    context = {
        **_detail_context(request, stay),
        "title": PRINT_FORMS[form],
        "form_name": form,
        "pdf": fmt == "pdf",
        "today": core_selectors.local_today(),
        # The notice's sentence goes on after the reason (因……，根据……): no full stop inside.
        "refusal_clause": stay.refusal_reason.strip().rstrip("。.；;，, "),
    }
    template = f"cases/print_{form}.html"
    # The station's paper forms are Chinese official documents, whatever the reader's language.
    with translation.override("zh-hans"):
        return _print_response(request, stay, template, context, form, fmt)


def _print_response(
    request: HttpRequest, stay: Stay, template: str, context: dict[str, Any], form: str, fmt: str
) -> HttpResponse:
    if fmt != "pdf":
        return render(request, template, context)
    from weasyprint import CSS, HTML

    html = render_to_string(template, context, request=request)
    css = CSS(filename=finders.find("cases/print.css"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(stylesheets=[css])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="stay-{stay.pk}-{form}.pdf"'
    return response


# ---- import of an intake ledger


@permission_required("cases.add_stay", raise_exception=True)
def import_template(request: HttpRequest) -> HttpResponse:
    return export_response(workbook_export(ledger.template_workbook(), "入站登记台账模板.xlsx"))


@permission_required("cases.add_stay", raise_exception=True)
def stay_import(request: HttpRequest) -> HttpResponse:
    """Upload: every row checked and shown; nothing is saved before the confirmation."""
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, **preview_context()}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            result = ledger.validate(read_sheet(data, ledger.COLUMNS))
        except SheetError as error:
            form.add_error("file", str(error))
        else:
            context["result"] = result
            if result.ok and result.rows:
                context["token"] = stash_upload(request, data)
            elif result.ok:
                form.add_error("file", _("The file has no rows under the header."))
    return render(request, "cases/import.html", context)


@require_POST
@permission_required("cases.add_stay", raise_exception=True)
def stay_import_confirm(request: HttpRequest) -> HttpResponse:
    data = take_upload(request, request.POST.get("token", ""))
    if data is None:
        messages.error(request, _("The upload has expired: choose the file again."))
        return redirect("cases:stay_import")
    try:
        result = ledger.validate(read_sheet(data, ledger.COLUMNS))
        stays = ledger.import_rows(
            station=current_station(request), acting_user=request.user, result=result
        )
    except SheetError as error:
        messages.error(request, str(error))
        return redirect("cases:stay_import")
    except ledger.ImportFailed as failed:
        return render(
            request,
            "cases/import.html",
            {"form": forms.ImportForm(), "result": failed.result},
            status=400,
        )
    messages.success(request, _("%(n)s intakes imported.") % {"n": len(stays)})
    return redirect("cases:stay_list")


# ---- station records: patrols, areas, tickets, safety, long stays


def _log_export(request: HttpRequest, model: type[models.Model], export: Export) -> None:
    """Every export of the app is logged: who, which list, which filter, how many rows."""
    log_list_read(
        request,
        station_id=current_station(request).pk,
        model=model,
        row_count=export.rows or 0,
        export=True,
    )


def _record_list(
    request: HttpRequest,
    model: type[models.Model],
    template: str,
    date_field: str,
    *,
    columns: SortableColumns,
    records: Any = None,
    filter_class: type[PeriodFilter] = PeriodFilter,
    also_shown: Iterable[Any] = (),
    **extra: Any,
) -> HttpResponse:
    """A station's records, newest first, by the date that puts them in a period (or as the
    headers of ``columns`` sort them).

    ``records`` is the model's queryset with what the page shows joined in (no query per row),
    filtered by ``filter_class`` (cases.filters: a period, and a ticket's channel and deadline);
    ``also_shown``: stays the page lists besides (the long-stay candidates)."""
    station = current_station(request)
    filtered = selectors.records_filtered(
        request.user,
        station,
        records if records is not None else model.objects.all(),
        date_field,
        request.GET,
        filter_class,
    )
    form, records = filtered.form, filtered.qs
    if request.GET.get("export") == "xlsx":
        export = RecordListXLSX(
            records,
            show_minors=selectors.can_see_minors(request.user),
            today=core_selectors.local_today(),
        ).render()
        _log_export(request, model, export)
        return export_response(export)
    page_obj = page_of(request, records, columns=columns)
    rows = list(page_obj)
    named = any(getattr(r, "was_minor", False) for r in rows) or any(s.is_minor for s in also_shown)
    _log_minors_shown(request, station, model, rows, named)
    return render(
        request,
        template,
        {"filter_form": form, "page_obj": page_obj, "station": station, **extra},
    )


# New records start on today's date.
DATE_DEFAULTS = ("patrol_date", "checked_on", "occurred_on", "inspected_on")


def _record_form(
    request: HttpRequest,
    form_class: type[Any],
    instance: models.Model | None,
    title: str,
    back: str,
) -> HttpResponse:
    station = current_station(request)
    initial = (
        {name: core_selectors.local_today() for name in DATE_DEFAULTS} if instance is None else None
    )
    form = form_class(request.POST or None, instance=instance, station=station, initial=initial)
    if request.method == "POST" and form.is_valid():
        m2m = {
            f.name: form.cleaned_data[f.name]
            for f in form.instance._meta.many_to_many
            if f.name in form.cleaned_data
        }
        try:
            services.record_save(
                obj=form.instance,
                acting_user=request.user,
                m2m=m2m,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    history = selectors.history_rows(instance) if instance is not None else None
    return render(
        request,
        "cases/record_form.html",
        {"form": form, "title": title, "back": back, "history": history},
    )


@permission_required("cases.view_streetpatrol", raise_exception=True)
def patrol_list(request: HttpRequest) -> HttpResponse:
    return _record_list(
        request,
        StreetPatrol,
        "cases/patrol_list.html",
        "patrol_date",
        columns=SortableColumns(
            date="patrol_date",
            area="area",
            campaign="campaign",
            met="persons_met",
            helped="helped_in_place",
            brought="brought_in",
        ),
        areas=GatheringArea.objects.for_user_at(request.user, current_station(request)),
    )


@permission_required("cases.add_streetpatrol", raise_exception=True)
def patrol_create(request: HttpRequest) -> HttpResponse:
    return _record_form(
        request, forms.PatrolForm, None, _("New street patrol"), reverse("cases:patrol_list")
    )


@permission_required("cases.change_streetpatrol", raise_exception=True)
def patrol_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = get_for_user_or_404(StreetPatrol, request.user, pk=pk)
    return _record_form(
        request, forms.PatrolForm, patrol, _("Street patrol"), reverse("cases:patrol_list")
    )


@permission_required("cases.add_gatheringarea", raise_exception=True)
def area_create(request: HttpRequest) -> HttpResponse:
    return _record_form(
        request, forms.AreaForm, None, _("New gathering area"), reverse("cases:patrol_list")
    )


@permission_required("cases.change_gatheringarea", raise_exception=True)
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_for_user_or_404(GatheringArea, request.user, pk=pk)
    return _record_form(
        request, forms.AreaForm, area, _("Gathering area"), reverse("cases:patrol_list")
    )


@permission_required("cases.view_ticket", raise_exception=True)
def ticket_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return _record_list(
        request,
        Ticket,
        "cases/ticket_list.html",
        "received_on",
        columns=SortableColumns(
            channel="channel",
            number="number",
            received="received_at",
            deadline="deadline",
            handled="handled_at",
        ),
        records=Ticket.objects.with_overdue(now),
        filter_class=TicketFilter,
    )


@permission_required("cases.add_ticket", raise_exception=True)
def ticket_create(request: HttpRequest) -> HttpResponse:
    return _record_form(
        request, forms.TicketForm, None, _("New ticket"), reverse("cases:ticket_list")
    )


@permission_required("cases.change_ticket", raise_exception=True)
def ticket_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = get_for_user_or_404(Ticket, request.user, pk=pk)
    return _record_form(
        request, forms.TicketForm, ticket, _("Ticket"), reverse("cases:ticket_list")
    )


@permission_required("cases.view_safetycheck", raise_exception=True)
def safety_list(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    incidents = SafetyIncident.objects.for_user_at(request.user, station)[:50]
    return _record_list(
        request,
        SafetyCheck,
        "cases/safety_list.html",
        "checked_on",
        columns=SortableColumns(date="checked_on", item="item", fixed="fixed_on"),
        incidents=incidents,
    )


@permission_required("cases.add_safetycheck", raise_exception=True)
def safety_check_create(request: HttpRequest) -> HttpResponse:
    return _record_form(
        request, forms.SafetyCheckForm, None, _("New safety check"), reverse("cases:safety_list")
    )


@permission_required("cases.change_safetycheck", raise_exception=True)
def safety_check_edit(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_for_user_or_404(SafetyCheck, request.user, pk=pk)
    return _record_form(
        request, forms.SafetyCheckForm, check, _("Safety check"), reverse("cases:safety_list")
    )


@permission_required("cases.add_safetyincident", raise_exception=True)
def incident_create(request: HttpRequest) -> HttpResponse:
    return _record_form(
        request, forms.IncidentForm, None, _("New safety incident"), reverse("cases:safety_list")
    )


@permission_required("cases.change_safetyincident", raise_exception=True)
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_for_user_or_404(SafetyIncident, request.user, pk=pk)
    return _record_form(
        request, forms.IncidentForm, incident, _("Safety incident"), reverse("cases:safety_list")
    )


@permission_required("cases.view_longstay", raise_exception=True)
def long_stay_list(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    institutions = CareInstitution.objects.for_user_at(request.user, station)
    inspections = Inspection.objects.for_user_at(request.user, station).select_related(
        "institution"
    )[:20]
    candidates = list(selectors.long_stay_candidates(request.user, station))
    return _record_list(
        request,
        LongStay,
        "cases/long_stay_list.html",
        "hukou_registered_on",
        columns=SortableColumns(
            person="person__name",
            hukou="hukou_registered_on",
            hardship="special_hardship_enrolled_on",
            institution="institution__name",
            placed="placed_on",
        ),
        records=selectors.long_stays_listed(),
        institutions=institutions,
        inspections=inspections,
        candidates=candidates,
        also_shown=candidates,
        show_minors=selectors.can_see_minors(request.user),
    )


@permission_required("cases.add_longstay", raise_exception=True)
def long_stay_create(request: HttpRequest) -> HttpResponse:
    return _record_form(
        request, forms.LongStayForm, None, _("New long stay"), reverse("cases:long_stay_list")
    )


@permission_required("cases.change_longstay", raise_exception=True)
def long_stay_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_for_user_or_404(LongStay, request.user, pk=pk)
    return _record_form(
        request, forms.LongStayForm, record, _("Long stay"), reverse("cases:long_stay_list")
    )


@permission_required("cases.add_careinstitution", raise_exception=True)
def institution_create(request: HttpRequest) -> HttpResponse:
    return _record_form(
        request,
        forms.InstitutionForm,
        None,
        _("New care institution"),
        reverse("cases:long_stay_list"),
    )


def pick_persons(request: HttpRequest) -> JsonResponse:
    """The long-stay form's person picker: the current station's persons matching ``?q=``."""
    require_any_perm(request.user, "cases.add_longstay", "cases.change_longstay")
    station = current_station(request)
    return picker_response(
        request,
        pickers.persons_pickable(request.user, station),
        pickers.person_search(request.user),
        pickers.person_label,
    )


def pick_institutions(request: HttpRequest) -> JsonResponse:
    """The care institution pickers of the long-stay and inspection forms."""
    require_any_perm(
        request.user, "cases.add_longstay", "cases.change_longstay", "cases.add_inspection"
    )
    station = current_station(request)
    return picker_response(
        request,
        pickers.institutions_pickable(request.user, station),
        pickers.institution_search,
        pickers.institution_label,
    )


@permission_required("cases.add_inspection", raise_exception=True)
def inspection_create(request: HttpRequest) -> HttpResponse:
    return _record_form(
        request,
        forms.InspectionForm,
        None,
        _("New inspection"),
        reverse("cases:long_stay_list"),
    )
