"""Writes of the performance app: frameworks, indicators, notes, narrative, finalising."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rescue_station.audit import EditConflict, delete_audited, save_audited
from rescue_station.models import Station

from .models import (
    DEFAULT_DECLARED,
    Evaluation,
    FindingAcknowledgement,
    Framework,
    Indicator,
    IndicatorAdjustment,
    Monitoring,
    MonitoringNote,
    ReportSection,
)
from .report import AcknowledgementRow, Report, finding_key, snapshot_digest
from .selectors import compute_report, evaluation_for

INDICATOR_FIELDS = (
    "order",
    "level1",
    "level2",
    "name",
    "comparator",
    "target",
    "unit",
    "weight",
    "metric_key",
    "manual_actual",
    "evidence",
    "tier",
    "tier_score",
    "deviation",
    "measure",
)


# What the approved 绩效目标表 prints of a line: changed after the approval only by an adjustment
# (the target) or not at all (the rest).
DECLARED_FIELDS = ("level1", "level2", "name", "comparator", "target", "unit")
DECLARED_GOALS = ("long_term_goals", "expected_goals")


def _ensure_draft(framework: Framework) -> None:
    evaluation = evaluation_for(framework)
    if evaluation.is_final:
        raise ValidationError(_("The evaluation is finalised: reopen it before changing it."))


def _ensure_lines_open(framework: Framework) -> None:
    """Lines are added, removed or replaced only before the bureau approves the targets."""
    if framework.targets_locked:
        raise ValidationError(
            _("The targets were approved by the bureau: lines can no longer be added or removed.")
        )


def _ensure_declared_unchanged(indicator: Indicator, values: dict[str, Any]) -> None:
    """After the approval, the approved columns of a line stay as approved; a target changes
    only through ``indicator_target_adjust``, with its reason."""
    changed = [
        name
        for name in DECLARED_FIELDS
        if name in values and str(values[name] or "") != str(getattr(indicator, name) or "")
    ]
    if changed:
        raise ValidationError(
            _(
                "The targets were approved by the bureau: record an adjustment, with its reason, "
                "to change a target."
            )
        )


@transaction.atomic
def framework_create(
    *,
    station: Station,
    year: int,
    acting_user: Any,
    declared: dict[str, str] | None = None,
    places: int = 1,
    far_exceeded_threshold: Decimal | None = None,
    expected_goals: str = "",
    achieved_goals: str = "",
) -> Framework:
    framework = Framework(
        station=station,
        year=year,
        declared_weights=dict(declared or DEFAULT_DECLARED),
        places=places,
        expected_goals=expected_goals,
        achieved_goals=achieved_goals,
    )
    if far_exceeded_threshold is not None:
        framework.far_exceeded_threshold = far_exceeded_threshold
    if Framework.objects.filter(station=station, year=year).exists():
        raise ValidationError({"year": _("This station already has a framework for that year.")})
    save_audited(framework, acting_user=acting_user)
    evaluation_ensure(framework=framework, acting_user=acting_user)
    return framework


@transaction.atomic
def framework_update(
    *, framework: Framework, acting_user: Any, expected_version: int | None = None, **values: Any
) -> Framework:
    """Change the framework's settings, from ``expected_version`` (its form's) when given.
    The goals in words are part of the approved 绩效目标表: once approved, they stay."""
    _ensure_draft(framework)
    if framework.targets_locked and any(
        name in values and values[name] != getattr(framework, name) for name in DECLARED_GOALS
    ):
        raise ValidationError(
            _("The targets were approved by the bureau: their goals can no longer be changed.")
        )
    for name, value in values.items():
        setattr(framework, name, value)
    return save_audited(framework, acting_user=acting_user, expected_version=expected_version)


@transaction.atomic
def framework_copy(
    *, source: Framework, year: int, acting_user: Any, targets: dict[int, str] | None = None
) -> Framework:
    """A new framework for ``year`` starting from ``source``: same lines, no actuals or notes.

    ``targets`` maps a source indicator's id to the new target (e.g. the suggested one).
    """
    framework = framework_create(
        station=source.station,
        year=year,
        acting_user=acting_user,
        declared=source.declared_weights,
        places=source.places,
        far_exceeded_threshold=source.far_exceeded_threshold,
        expected_goals=source.expected_goals,
    )
    for old in source.indicators.all():
        target = (targets or {}).get(old.pk, old.target)
        if old.comparator == "period" and target in (str(source.year), str(source.year + 1)):
            target = str(year)  # the period of the new year, whichever year it is
        save_audited(
            Indicator(
                framework=framework,
                order=old.order,
                level1=old.level1,
                level2=old.level2,
                name=old.name,
                comparator=old.comparator,
                target=target,
                unit=old.unit,
                weight=old.weight,
                metric_key=old.metric_key,
            ),
            acting_user=acting_user,
        )
    return framework


@transaction.atomic
def indicator_save(
    *,
    framework: Framework,
    acting_user: Any,
    indicator: Indicator | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> Indicator:
    _ensure_draft(framework)
    if indicator is None:
        _ensure_lines_open(framework)
    indicator = indicator or Indicator(framework=framework)
    if indicator.framework_id != framework.pk:
        raise PermissionDenied
    if framework.targets_locked:
        _ensure_declared_unchanged(indicator, values)
    for name, value in values.items():
        setattr(indicator, name, value)
    if indicator.pk is None and not values.get("order"):
        last = framework.indicators.order_by("-order").values_list("order", flat=True).first()
        indicator.order = (last or 0) + 1
    return save_audited(indicator, acting_user=acting_user, expected_version=expected_version)


@transaction.atomic
def indicator_weight_fix(
    *, indicator: Indicator, weight: Decimal, acting_user: Any, expected_version: int | None
) -> Indicator:
    """The one-step change a weights finding proposes: the line's weight to the one that makes
    its level-1 group add up to the declared weight. Refused unless it is still that change (the
    framework or the line changed since the page was loaded) or once the year is finalised."""
    from .selectors import weight_fixes

    framework = indicator.framework
    _ensure_draft(framework)
    fix = weight_fixes(framework).get(indicator.pk)
    if fix is None or fix.proposed != weight:
        if expected_version is not None and expected_version != indicator.version:
            raise EditConflict.for_record(indicator, expected_version)
        raise ValidationError(_("This change of weight is no longer the one that fixes the group."))
    indicator.weight = fix.proposed
    return save_audited(
        indicator,
        acting_user=acting_user,
        expected_version=expected_version,
        reason=_("weight corrected to the declared level-1 weight"),
    )


@transaction.atomic
def indicator_delete(
    *, indicator: Indicator, acting_user: Any, expected_version: int | None = None
) -> None:
    """Remove a line; from a page loaded before someone else saved the line, refused."""
    _ensure_draft(indicator.framework)
    _ensure_lines_open(indicator.framework)
    delete_audited(indicator, acting_user=acting_user, expected_version=expected_version)


@transaction.atomic
def indicator_notes_set(
    *,
    indicator: Indicator,
    deviation: str,
    measure: str,
    acting_user: Any,
    expected_version: int | None = None,
) -> Indicator:
    """The deviation reason and improvement measure written beside a line."""
    _ensure_draft(indicator.framework)
    indicator.deviation = deviation.strip()
    indicator.measure = measure.strip()
    return save_audited(indicator, acting_user=acting_user, expected_version=expected_version)


@transaction.atomic
def indicator_notes_save(
    *, framework: Framework, notes: list[tuple[Indicator, str, str, int]], acting_user: Any
) -> list[Indicator]:
    """The notes of the form beside the lines, all or none: each (line, deviation, measure,
    version its form was loaded from); a line whose notes did not change is not saved."""
    _ensure_draft(framework)
    changed = []
    for indicator, deviation, measure, version in notes:
        if indicator.framework_id != framework.pk:
            raise PermissionDenied
        if (deviation.strip(), measure.strip()) == (indicator.deviation, indicator.measure):
            continue
        changed.append(
            indicator_notes_set(
                indicator=indicator,
                deviation=deviation,
                measure=measure,
                acting_user=acting_user,
                expected_version=version,
            )
        )
    return changed


@transaction.atomic
def evaluation_ensure(*, framework: Framework, acting_user: Any) -> Evaluation:
    evaluation = Evaluation.objects.filter(framework=framework).first()
    if evaluation is None:
        evaluation = save_audited(Evaluation(framework=framework), acting_user=acting_user)
    return evaluation


@transaction.atomic
def report_sections_set(
    *,
    evaluation: Evaluation,
    texts: dict[str, str],
    acting_user: Any,
    versions: dict[str, int | None] | None = None,
) -> Evaluation:
    """Write the narrative's sections. ``versions``, from a form: the version of each section
    when the form was loaded, None for a section not written then; a section saved since (or
    written since) by someone else refuses the whole save."""
    if evaluation.is_final:
        raise ValidationError(_("The evaluation is finalised: reopen it before changing it."))
    for key, body in texts.items():
        section = ReportSection.objects.filter(evaluation=evaluation, key=key).first()
        if section is not None and section.body == body:
            continue
        expected = (versions or {}).get(key, section.version if section else None)
        if section is not None and expected is None:
            raise EditConflict.for_record(section, None)
        section = section or ReportSection(evaluation=evaluation, key=key)
        section.body = body
        save_audited(section, acting_user=acting_user, expected_version=expected)
    return evaluation


def _acknowledge(
    evaluation: Evaluation,
    report: Report,
    acknowledgements: dict[str, str] | None,
    acting_user: Any,
    now: Any,
) -> list[AcknowledgementRow]:
    """Every error finding needs a written acknowledgement (finding key -> text); the missing
    ones refuse the finalising, by name. Each is kept with who and when."""
    texts = {k: v.strip() for k, v in (acknowledgements or {}).items()}
    errors = report.errors
    if acknowledgements is None:
        raise ValidationError(
            _("The evaluation has errors and cannot be finalised: %(codes)s")
            % {"codes": "、".join(sorted({f.title for f in errors}))}
        )
    missing = [f for f in errors if not texts.get(finding_key(f.code, f.lines))]
    if missing:
        named = "；".join(
            f.title + (f"（{'、'.join(f.lines)}）" if f.lines else "") for f in missing
        )
        raise ValidationError(
            _("Each error needs a written acknowledgement before finalising; missing: %(missing)s")
            % {"missing": named}
        )
    kept = {
        (a.code, a.subject): a for a in FindingAcknowledgement.objects.filter(evaluation=evaluation)
    }
    rows = []
    for finding in errors:
        subject = "、".join(finding.lines)
        text = texts[finding_key(finding.code, finding.lines)]
        record = kept.pop((finding.code, subject), None) or FindingAcknowledgement(
            evaluation=evaluation, code=finding.code, subject=subject
        )
        record.text = text
        record.acknowledged_by = acting_user
        record.acknowledged_at = now
        save_audited(record, acting_user=acting_user, reason=_("error acknowledged to finalise"))
        rows.append(
            AcknowledgementRow(
                code=finding.code,
                lines=list(finding.lines),
                message=finding.message,
                text=text,
                by=str(acting_user),
                at=timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
            )
        )
    for stale in kept.values():  # of an error fixed since: not part of this report
        delete_audited(stale, acting_user=acting_user, reason=_("the error was fixed"))
    return rows


@transaction.atomic
def evaluation_finalise(
    *, framework: Framework, acting_user: Any, acknowledgements: dict[str, str] | None = None
) -> Evaluation:
    """Freeze the report: JSON snapshot, stored PDF and its SHA-256. Refused on any error,
    unless every error has a written acknowledgement (finding key -> text, see ``finding_key``):
    the form is then finalised as it stands, and says so."""
    from .rendering import render_pdf

    evaluation = Evaluation.objects.select_for_update().get(
        pk=evaluation_ensure(framework=framework, acting_user=acting_user).pk
    )
    if evaluation.is_final:
        raise ValidationError(_("The evaluation is already finalised."))
    report = compute_report(framework)
    now = timezone.now()
    if report.has_errors:
        report.acknowledgements = _acknowledge(
            evaluation, report, acknowledgements, acting_user, now
        )
    report.status = Evaluation.Status.FINAL
    report.finalised_on = timezone.localdate(now).isoformat()
    evaluation.snapshot = report.to_snapshot()
    evaluation.snapshot_sha256 = report.snapshot_sha256 = snapshot_digest(evaluation.snapshot)
    pdf = render_pdf(report)
    evaluation.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    evaluation.pdf.save(
        f"{framework.station.code}-{framework.year}-{evaluation.pdf_sha256[:12]}.pdf",
        ContentFile(pdf),
        save=False,
    )
    evaluation.status = Evaluation.Status.FINAL
    evaluation.finalised_at = now
    evaluation.finalised_by = acting_user
    reason = _("finalised with acknowledged errors") if report.acknowledgements else _("finalised")
    return save_audited(evaluation, acting_user=acting_user, reason=reason)


@transaction.atomic
def evaluation_reopen(*, framework: Framework, acting_user: Any, reason: str) -> Evaluation:
    """A supervisor reopens a finalised report; who, when and why stay on record."""
    evaluation = Evaluation.objects.select_for_update().get(framework=framework)
    if not evaluation.is_final:
        raise ValidationError(_("Only a finalised evaluation can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the evaluation is reopened.")})
    evaluation.status = Evaluation.Status.DRAFT
    evaluation.snapshot = None
    evaluation.reopened_at = timezone.now()
    evaluation.reopened_by = acting_user
    evaluation.reopen_reason = reason.strip()
    # The stored PDF and its hash stay in the history rows; the live record drops them.
    evaluation.pdf = ""
    evaluation.pdf_sha256 = ""
    evaluation.snapshot_sha256 = ""
    return save_audited(evaluation, acting_user=acting_user, reason=reason.strip())


@transaction.atomic
def framework_import(
    *,
    framework: Framework,
    rows: list[dict[str, Any]],
    acting_user: Any,
    versions: dict[int, int | None] | None = None,
) -> Framework:
    """Replace the framework's lines with the imported ones; notes of a line kept by name.

    ``versions``: each line's version when the preview was shown; a line saved (or added) by
    someone else since refuses the whole import, which would otherwise overwrite it unseen.
    """
    _ensure_draft(framework)
    _ensure_lines_open(framework)
    existing = {i.name: i for i in framework.indicators.all()}
    for indicator in existing.values() if versions is not None else ():
        if versions.get(indicator.pk) != indicator.version:
            raise EditConflict.for_record(indicator, versions.get(indicator.pk))
    for values in rows:
        indicator = existing.pop(values["name"], None) or Indicator(framework=framework)
        for name, value in values.items():
            setattr(indicator, name, value)
        save_audited(indicator, acting_user=acting_user, reason=_("imported from Excel"))
    for indicator in existing.values():
        delete_audited(indicator, acting_user=acting_user, reason=_("imported from Excel"))
    return framework


# ---------------------------------------------------------------- target declaration


@transaction.atomic
def framework_declare(
    *, framework: Framework, acting_user: Any, expected_version: int | None = None
) -> Framework:
    """The targets are sent to the finance bureau (绩效目标申报): a draft with lines becomes
    declared. It may be declared before its year starts; its lines stay editable until the
    bureau's approval is recorded."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    _ensure_draft(framework)
    if framework.status != Framework.Status.DRAFT:
        raise ValidationError(_("Only a draft framework can be declared."))
    if not framework.indicators.exists():
        raise ValidationError(_("A framework without indicators cannot be declared."))
    framework.status = Framework.Status.DECLARED
    framework.declared_at = timezone.now()
    framework.declared_by = acting_user
    return save_audited(
        framework,
        acting_user=acting_user,
        expected_version=expected_version,
        reason=_("targets declared"),
    )


@transaction.atomic
def framework_approve(
    *,
    framework: Framework,
    approved_on: date,
    document_number: str,
    acting_user: Any,
    expected_version: int | None = None,
) -> Framework:
    """Record the bureau's approval of the declared targets (its date and document number):
    the targets are locked, each line keeping its approved target beside the current one.
    Only the finance officer records it (``performance.approve_framework``)."""
    if not acting_user.has_perm("performance.approve_framework"):
        raise PermissionDenied
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    _ensure_draft(framework)
    if framework.status != Framework.Status.DECLARED:
        raise ValidationError(_("Only declared targets can be approved."))
    if not document_number.strip():
        raise ValidationError({"approval_document": _("Give the approval's document number.")})
    framework.status = Framework.Status.APPROVED
    framework.approved_on = approved_on
    framework.approval_document = document_number.strip()
    framework.approved_by = acting_user
    save_audited(
        framework,
        acting_user=acting_user,
        expected_version=expected_version,
        reason=_("targets approved by the bureau"),
    )
    for indicator in framework.indicators.all():
        indicator.declared_target = indicator.target
        save_audited(indicator, acting_user=acting_user, reason=_("targets approved by the bureau"))
    return framework


@transaction.atomic
def indicator_target_adjust(
    *,
    indicator: Indicator,
    target: str,
    reason: str,
    adjusted_on: date,
    acting_user: Any,
    expected_version: int | None = None,
) -> IndicatorAdjustment:
    """Change an approved target (绩效目标调整): the line takes the new target, and the change is
    kept with its reason, its date and who recorded it; the approved target stays beside it."""
    framework = indicator.framework
    _ensure_draft(framework)
    if not framework.targets_locked:
        raise ValidationError(_("The targets are not approved yet: change the line itself."))
    target, reason = target.strip(), reason.strip()
    if target == indicator.target:
        raise ValidationError({"target": _("The new target is the current one.")})
    if framework.approved_on and adjusted_on < framework.approved_on:
        raise ValidationError({"adjusted_on": _("An adjustment follows the approval.")})
    adjustment = IndicatorAdjustment(
        indicator=indicator,
        previous_target=indicator.target,
        target=target,
        reason=reason,
        adjusted_on=adjusted_on,
        adjusted_by=acting_user,
    )
    adjustment.full_clean()
    indicator.target = target
    save_audited(
        indicator, acting_user=acting_user, expected_version=expected_version, reason=reason
    )
    return save_audited(adjustment, acting_user=acting_user, reason=reason)


# ---------------------------------------------------------------- mid-year monitoring


def _monitoring_draft(framework: Framework, acting_user: Any) -> Monitoring:
    """The framework's monitoring record, created when missing, refused once sent."""
    monitoring = Monitoring.objects.select_for_update().filter(framework=framework).first()
    if monitoring is None:
        monitoring = save_audited(Monitoring(framework=framework), acting_user=acting_user)
    if monitoring.is_sent:
        raise ValidationError(_("The monitoring form was sent: reopen it before changing it."))
    return monitoring


@transaction.atomic
def monitoring_notes_set(
    *,
    framework: Framework,
    acting_user: Any,
    notes: dict[int, tuple[str, str]],
    budget_cause: str | None = None,
    budget_measure: str | None = None,
) -> Monitoring:
    """The causes and measures of the lines (indicator id -> (cause, measure)) and of the budget
    execution, kept with the year whatever date the form is made on."""
    monitoring = _monitoring_draft(framework, acting_user)
    budget = (budget_cause or "").strip(), (budget_measure or "").strip()
    if budget_cause is not None and budget != (monitoring.budget_cause, monitoring.budget_measure):
        monitoring.budget_cause, monitoring.budget_measure = budget
        save_audited(monitoring, acting_user=acting_user)
    indicators = {i.pk: i for i in framework.indicators.filter(pk__in=notes)}
    existing = {n.indicator_id: n for n in monitoring.notes.filter(indicator__in=indicators)}
    for pk, (cause, measure) in notes.items():
        if pk not in indicators:
            raise PermissionDenied  # a line of another framework
        note = existing.get(pk) or MonitoringNote(monitoring=monitoring, indicator=indicators[pk])
        if note.pk and (note.cause, note.measure) == (cause.strip(), measure.strip()):
            continue
        if not note.pk and not (cause.strip() or measure.strip()):
            continue
        note.cause, note.measure = cause.strip(), measure.strip()
        save_audited(note, acting_user=acting_user)
    return monitoring


@transaction.atomic
def monitoring_send(*, framework: Framework, as_of: date, acting_user: Any) -> Monitoring:
    """Mark the form as sent to the finance bureau: refused while a line at risk or off track has
    no cause or measure; the form is frozen as sent (its JSON and everything it prints)."""
    from .monitoring_report import compute_monitoring

    monitoring = _monitoring_draft(framework, acting_user)
    if as_of.year != framework.year:
        raise ValidationError(_("The date must fall inside the year."))
    report = compute_monitoring(framework, as_of)
    if report.missing_notes:
        raise ValidationError(
            _("These lines are at risk and need a cause and a measure first: %(lines)s")
            % {"lines": "、".join(report.missing_notes)}
        )
    report.state = Monitoring.State.SENT
    monitoring.state = Monitoring.State.SENT
    monitoring.sent_as_of = as_of
    monitoring.sent_at = timezone.now()
    monitoring.sent_by = acting_user
    monitoring.snapshot = report.to_snapshot()
    return save_audited(monitoring, acting_user=acting_user, reason="monitoring sent")


@transaction.atomic
def monitoring_reopen(*, framework: Framework, acting_user: Any, reason: str) -> Monitoring:
    """Back to draft (to write the form again, e.g. on later figures); the sent copy stays in
    the history rows' dates, who sent it and why it was reopened."""
    monitoring = Monitoring.objects.select_for_update().filter(framework=framework).first()
    if monitoring is None or not monitoring.is_sent:
        raise ValidationError(_("Only a sent monitoring form can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the form is reopened.")})
    monitoring.state = Monitoring.State.DRAFT
    monitoring.snapshot = None
    return save_audited(monitoring, acting_user=acting_user, reason=reason.strip())
