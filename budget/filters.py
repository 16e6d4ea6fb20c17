"""The filters of the budget's lists (rescue_station.filters), applied in budget.selectors."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from rescue_station.filters import FormFilterSet

from .forms import ExpenditureFilterForm, LineFilterForm, ProjectFilterForm


class ProjectFilter(FormFilterSet):
    form_class = ProjectFilterForm

    q = django_filters.CharFilter(method="search")
    year = django_filters.NumberFilter(field_name="year")
    mid_year = django_filters.BooleanFilter(method="added_mid_year")

    def search(self, projects: QuerySet, name: str, value: str) -> QuerySet:
        return projects.filter(Q(name__icontains=value) | Q(basis_document__icontains=value))

    def added_mid_year(self, projects: QuerySet, name: str, value: bool) -> QuerySet:
        return projects.filter(added_mid_year=True) if value else projects


class LineFilter(FormFilterSet):
    form_class = LineFilterForm

    q = django_filters.CharFilter(method="search")
    year = django_filters.NumberFilter(field_name="year")
    nature = django_filters.CharFilter(field_name="nature")
    source = django_filters.Filter(field_name="source")

    def search(self, lines: QuerySet, name: str, value: str) -> QuerySet:
        return lines.filter(
            Q(description__icontains=value)
            | Q(function_class__code__startswith=value)
            | Q(function_class__name__icontains=value)
            | Q(project__name__icontains=value)
        )


class ExpenditureFilter(FormFilterSet):
    form_class = ExpenditureFilterForm

    q = django_filters.CharFilter(method="search")
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year")
    month = django_filters.NumberFilter(field_name="date", lookup_expr="month")
    nature = django_filters.CharFilter(field_name="line__nature")
    line = django_filters.NumberFilter(field_name="line_id")

    def search(self, expenditures: QuerySet, name: str, value: Any) -> QuerySet:
        return expenditures.filter(Q(voucher_no__icontains=value) | Q(description__icontains=value))
