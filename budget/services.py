"""Writes of the budget: every one validated (full_clean) and audited (who, why), atomically."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rescue_station.audit import save_audited
from rescue_station.formatting import format_wan
from rescue_station.models import Station

from . import selectors
from .models import IMMUTABLE_HINT, ZERO, BudgetLine, Expenditure, Project

PROJECT_FIELDS = (
    "year",
    "name",
    "basis_document",
    "function_class",
    "added_mid_year",
    "carried_over",
    "allocated",
    "description",
)
LINE_FIELDS = (
    "year",
    "source",
    "nature",
    "function_class",
    "project",
    "initial",
    "adjusted",
    "description",
)
# What of a recorded payment may change (the rest only by voiding it).
EXPENDITURE_NOTES = ("voucher_no", "description")


def _set(obj: Any, data: dict[str, Any], allowed: Iterable[str]) -> None:
    for name in allowed:
        if name in data:
            setattr(obj, name, data[name])


@transaction.atomic
def project_create(*, station: Station, data: dict[str, Any], acting_user: Any) -> Project:
    project = Project(station=station)
    _set(project, data, PROJECT_FIELDS)
    save_audited(project, acting_user=acting_user)
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    data: dict[str, Any],
    acting_user: Any,
    expected_version: int | None = None,
) -> Project:
    """Change a project, from ``expected_version`` (the version its form was loaded from)."""
    if "year" in data and data["year"] != project.year and project.lines.exists():
        raise ValidationError({"year": _("The project has budget lines: its year cannot change.")})
    _set(project, data, PROJECT_FIELDS)
    save_audited(project, acting_user=acting_user, expected_version=expected_version)
    return project


@transaction.atomic
def budget_line_create(*, station: Station, data: dict[str, Any], acting_user: Any) -> BudgetLine:
    line = BudgetLine(station=station)
    _set(line, data, LINE_FIELDS)
    save_audited(line, acting_user=acting_user)
    return line


@transaction.atomic
def budget_line_update(
    *,
    line: BudgetLine,
    data: dict[str, Any],
    acting_user: Any,
    expected_version: int | None = None,
) -> BudgetLine:
    if "year" in data and data["year"] != line.year and line.expenditures.exists():
        raise ValidationError({"year": _("The line has expenditures: its year cannot change.")})
    _set(line, data, LINE_FIELDS)
    save_audited(line, acting_user=acting_user, expected_version=expected_version)
    return line


def _check_line_station(line: BudgetLine, station: Station) -> None:
    if line.station_id != station.pk:
        raise ValidationError({"line": _("The budget line belongs to another station.")})


def over_budget_message(line: BudgetLine, amount: Decimal, remaining: Decimal) -> str:
    """Why a payment is refused: what the line has left of its adjusted budget (无预算不支出)."""
    return _(
        "No budget, no payment: line #%(no)s has %(remaining)s 万元 (%(remaining_yuan)s yuan) "
        "left of its adjusted budget of %(adjusted)s 万元; %(amount)s yuan would exceed it."
    ) % {
        "no": line.pk,
        "remaining": format_wan(max(remaining, ZERO)),
        "remaining_yuan": f"{max(remaining, ZERO):,.2f}",
        "adjusted": format_wan(line.adjusted),
        "amount": f"{amount:,.2f}",
    }


def _check_budget(line: BudgetLine, amount: Decimal) -> None:
    """Refuse a payment above what the line has left; the line is locked until the commit, so
    that two payments recorded at once cannot both take the last of it."""
    locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
    remaining = selectors.line_remaining(locked)
    if amount is not None and amount > remaining:
        raise ValidationError({"amount": over_budget_message(locked, amount, remaining)})


@transaction.atomic
def expenditure_record(
    *,
    station: Station,
    line: BudgetLine,
    date: date,
    amount: Decimal,
    voucher_no: str,
    description: str = "",
    acting_user: Any,
) -> Expenditure:
    """Record a payment charged to one of the station's budget lines, within what it has left."""
    _check_line_station(line, station)
    expenditure = Expenditure(
        line=line, date=date, amount=amount, voucher_no=voucher_no, description=description
    )
    expenditure.full_clean()
    _check_budget(line, amount)
    save_audited(expenditure, acting_user=acting_user)
    return expenditure


@transaction.atomic
def expenditure_update(
    *,
    expenditure: Expenditure,
    data: dict[str, Any],
    acting_user: Any,
    expected_version: int | None = None,
) -> Expenditure:
    """Change the notes of a payment (voucher number, description). Its line, date and amount
    change only by voiding it and recording a new one; a voided payment does not change."""
    stored = Expenditure.objects.get(pk=expenditure.pk)
    if stored.voided:
        raise ValidationError(_("A voided expenditure cannot be changed."))
    fixed = {"line": "line_id", "date": "date", "amount": "amount"}
    for name, attname in fixed.items():
        if name in data:
            new = getattr(data[name], "pk", data[name])
            if new != getattr(stored, attname):
                raise ValidationError({name: IMMUTABLE_HINT})
    _set(expenditure, data, EXPENDITURE_NOTES)
    save_audited(expenditure, acting_user=acting_user, expected_version=expected_version)
    return expenditure


@transaction.atomic
def expenditure_void(
    *,
    station: Station,
    expenditure: Expenditure,
    reason: str,
    acting_user: Any,
    expected_version: int | None = None,
) -> Expenditure:
    """Void (红冲) a wrong payment: it stays, struck through, with who voided it, when and why,
    and counts in no sum; its voucher number is free again."""
    if expenditure.station_id != station.pk:
        raise ValidationError(_("The expenditure belongs to another station."))
    if expenditure.voided:
        raise ValidationError(_("The expenditure is already voided."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"void_reason": _("Say why the expenditure is voided.")})
    expenditure.voided_at = timezone.now()
    expenditure.voided_by = acting_user
    expenditure.void_reason = reason
    save_audited(
        expenditure, acting_user=acting_user, reason=reason, expected_version=expected_version
    )
    return expenditure


@transaction.atomic
def budget_lines_import(
    *, station: Station, rows: list[dict[str, Any]], acting_user: Any
) -> list[BudgetLine]:
    """Create the validated rows of an import (all of them or, on any error, none)."""
    return [budget_line_create(station=station, data=row, acting_user=acting_user) for row in rows]


@transaction.atomic
def expenditures_import(
    *, station: Station, rows: list[dict[str, Any]], acting_user: Any
) -> list[Expenditure]:
    """Record the validated rows of an import (all of them or, on any error, none)."""
    return [expenditure_record(station=station, acting_user=acting_user, **row) for row in rows]
