"""Pages of the target declaration: the 绩效目标表, declaring it, the bureau's approval, and the
adjustment of an approved target."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rescue_station.exporting import export_response
from rescue_station.forms import VersionForm, save_through
from rescue_station.scoping import get_for_user_or_404

from . import services
from .declaration import build_declaration
from .exporters import DECLARATION_EXPORTERS
from .forms import AdjustmentForm, ApprovalForm
from .models import Framework, Indicator
from .selectors import evaluation_for


def _framework(request: HttpRequest, pk: int) -> Framework:
    return get_for_user_or_404(Framework.objects.select_related("station"), request.user, pk=pk)


@permission_required("performance.view_framework", raise_exception=True)
def declaration_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The 绩效目标表 as it prints, with the step of the declaration the reader may take."""
    framework = _framework(request, pk)
    open_year = not evaluation_for(framework).is_final
    status = framework.status
    user = request.user
    return render(
        request,
        "performance/declaration.html",
        {
            "framework": framework,
            "declaration": build_declaration(framework),
            "can_declare": open_year
            and status == Framework.Status.DRAFT
            and user.has_perm("performance.change_framework"),
            "approval_form": (
                ApprovalForm(version_of=framework)
                if open_year
                and status == Framework.Status.DECLARED
                and user.has_perm("performance.approve_framework")
                else None
            ),
            "can_adjust": open_year
            and framework.targets_locked
            and user.has_perm("performance.change_indicator"),
            "declare_form": VersionForm(version_of=framework),
        },
    )


@permission_required("performance.view_framework", raise_exception=True)
def declaration_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    exporter = DECLARATION_EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404
    return export_response(exporter(_framework(request, pk)).render())


@require_POST
@permission_required("performance.change_framework", raise_exception=True)
def declaration_declare(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    form = VersionForm(request.POST, version_of=framework)
    if form.is_valid():
        try:
            services.framework_declare(
                framework=framework,
                acting_user=request.user,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The targets are declared."))
    else:
        messages.error(request, " ".join(form.non_field_errors()) or _("Refused."))
    return redirect("performance:declaration", pk=framework.pk)


@require_POST
@permission_required("performance.approve_framework", raise_exception=True)
def declaration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    form = ApprovalForm(request.POST, version_of=framework)
    if form.is_valid():
        try:
            services.framework_approve(
                framework=framework,
                approved_on=form.cleaned_data["approved_on"],
                document_number=form.cleaned_data["approval_document"],
                acting_user=request.user,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The bureau's approval is recorded: the targets are locked.")
            )
            return redirect("performance:declaration", pk=framework.pk)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("performance:declaration", pk=framework.pk)


@permission_required("performance.change_indicator", raise_exception=True)
def indicator_adjust(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    """Adjust an approved target: the new target, the reason, the date."""
    framework = _framework(request, pk)
    indicator = get_for_user_or_404(
        Indicator.objects.filter(framework=framework), request.user, pk=indicator_pk
    )
    if not framework.targets_locked or evaluation_for(framework).is_final:
        messages.info(request, _("Only an approved target of an open year is adjusted."))
        return redirect("performance:declaration", pk=framework.pk)
    form = AdjustmentForm(request.POST or None, version_of=indicator)
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: services.indicator_target_adjust(
                indicator=indicator,
                target=form.cleaned_data["target"],
                reason=form.cleaned_data["reason"],
                adjusted_on=form.cleaned_data["adjusted_on"],
                acting_user=request.user,
                expected_version=form.expected_version,
            ),
        )
        if saved is not None:
            messages.success(request, _("The target was adjusted."))
            return redirect("performance:declaration", pk=framework.pk)
    return render(
        request,
        "performance/indicator_adjust.html",
        {
            "framework": framework,
            "indicator": indicator,
            "form": form,
            "adjustments": indicator.adjustments.select_related("adjusted_by"),
        },
    )
