"""What the budget pages' pickers search and how they label a line or a project
(rescue_station.pickers)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from rescue_station.models import Station
from rescue_station.pickers import label_parts, name_search

from .models import NATURE_ORDER, BudgetLine, Project


def line_label(line: BudgetLine) -> str:
    """#key · year · function code · project (or description) · source · nature."""
    code = line.function_class.code if line.function_class_id else ""
    what = line.project.name if line.project_id else line.description
    return label_parts(f"#{line.pk}", line.year, code, what, line.source, line.get_nature_display())


def lines_pickable(user: Any, station: Station) -> QuerySet[BudgetLine]:
    return (
        BudgetLine.objects.for_user(user)
        .filter(station=station)
        .select_related("function_class", "project", "source")
        .order_by("-year", NATURE_ORDER, "function_class__code", "pk")
    )


def _year_or_key(q: str, prefix: str = "") -> Q:
    """A year (``2025``) or a key (``#12``) typed in the search."""
    digits = q.removeprefix("#")
    if not digits.isdigit() or len(digits) > 9:
        return Q(pk__in=[])
    if q.startswith("#"):
        return Q(pk=int(digits))
    return Q(**{f"{prefix}year": int(digits)}) if len(digits) == 4 else Q(pk__in=[])


def line_search(q: str) -> Q:
    return (
        name_search(q, "project__name", "description", "function_class__name", "source__name")
        | Q(function_class__code__startswith=q)
        | _year_or_key(q)
    )


def project_label(project: Project) -> str:
    code = project.function_class.code if project.function_class_id else ""
    return label_parts(project.name, project.year, code)


def projects_pickable(user: Any, station: Station) -> QuerySet[Project]:
    return (
        Project.objects.for_user(user)
        .filter(station=station)
        .select_related("function_class")
        .order_by("-year", "name", "pk")
    )


def project_search(q: str) -> Q:
    return name_search(q, "name", "basis_document") | _year_or_key(q)
