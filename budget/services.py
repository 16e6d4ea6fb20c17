"""Writes of the budget: every one validated (full_clean) and audited (who, why), atomically."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rescue_station.audit import save_audited
from rescue_station.models import Station

from .models import BudgetLine, Expenditure, Project

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
EXPENDITURE_FIELDS = ("line", "date", "amount", "voucher_no", "description")


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
    """Record a payment charged to one of the station's budget lines."""
    _check_line_station(line, station)
    expenditure = Expenditure(
        line=line, date=date, amount=amount, voucher_no=voucher_no, description=description
    )
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
    station = expenditure.line.station
    _set(expenditure, data, EXPENDITURE_FIELDS)
    _check_line_station(expenditure.line, station)
    save_audited(expenditure, acting_user=acting_user, expected_version=expected_version)
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
