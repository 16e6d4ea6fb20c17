"""The filters of the minors' lists (rescue_station.filters), applied in minors.selectors."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from rescue_station import selectors as core_selectors
from rescue_station.filters import FormFilterSet

from .forms import ActivityFilterForm, CaseFilterForm, ChildFilterForm, ReportFilterForm


class CaseFilter(FormFilterSet):
    form_class = CaseFilterForm

    q = django_filters.CharFilter(method="search")
    reason = django_filters.CharFilter(field_name="reason")
    status = django_filters.CharFilter(method="by_status")
    overdue = django_filters.CharFilter(method="report_overdue")

    def search(self, cases: QuerySet, name: str, value: str) -> QuerySet:
        return cases.filter(
            Q(stay__person__name__icontains=value)
            | Q(stay__person__placeholder_no__icontains=value)
            | Q(child__name__icontains=value)
            | Q(guardian_name__icontains=value)
        )

    def by_status(self, cases: QuerySet, name: str, value: str) -> QuerySet:
        return cases.filter(outcome="") if value == "open" else cases.exclude(outcome="")

    def report_overdue(self, cases: QuerySet, name: str, value: str) -> QuerySet:
        from .selectors import cases_missing_report

        return cases_missing_report(cases, now=timezone.now())


class ReportFilter(FormFilterSet):
    """Over reports annotated with ``is_late`` (selectors.report_list)."""

    form_class = ReportFilterForm

    q = django_filters.CharFilter(method="search")
    late = django_filters.CharFilter(method="past_deadline")

    def search(self, reports: QuerySet, name: str, value: str) -> QuerySet:
        return reports.filter(Q(receipt_no__icontains=value) | Q(recipient_unit__icontains=value))

    def past_deadline(self, reports: QuerySet, name: str, value: str) -> QuerySet:
        return reports.filter(is_late=True)


class ChildFilter(FormFilterSet):
    form_class = ChildFilterForm

    q = django_filters.CharFilter(method="search")
    category = django_filters.CharFilter(field_name="category")
    risk = django_filters.CharFilter(field_name="risk_level")
    township = django_filters.CharFilter(field_name="township")
    due = django_filters.CharFilter(method="visit_due")

    def search(self, children: QuerySet, name: str, value: str) -> QuerySet:
        return children.filter(
            Q(name__icontains=value)
            | Q(guardian_name__icontains=value)
            | Q(school__icontains=value)
        )

    def visit_due(self, children: QuerySet, name: str, value: Any) -> QuerySet:
        return children.filter(next_visit_due__lte=core_selectors.local_today())


class ActivityFilter(FormFilterSet):
    form_class = ActivityFilterForm

    q = django_filters.CharFilter(method="search")
    kind = django_filters.CharFilter(field_name="kind")
    year = django_filters.NumberFilter(field_name="held_on", lookup_expr="year")

    def search(self, activities: QuerySet, name: str, value: str) -> QuerySet:
        return activities.filter(
            Q(title__icontains=value) | Q(venue__icontains=value) | Q(partner__icontains=value)
        )
