"""The filters of the cases' lists (rescue_station.filters), applied in cases.selectors."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import F, Q, QuerySet

from rescue_station.filters import FormFilterSet

from . import statistics
from .forms import PeriodFilterForm, StayFilterForm, TicketFilterForm
from .models import ExitType, Stay


class StayFilter(FormFilterSet):
    """The stay list: search (name, ID number, placeholder number; the ID number only for those
    who may see minors) and filters."""

    form_class = StayFilterForm

    q = django_filters.CharFilter(method="search")
    start = django_filters.DateFilter(method="admitted_from")
    end = django_filters.DateFilter(method="admitted_to")
    source = django_filters.CharFilter(field_name="source")
    exit_type = django_filters.CharFilter(field_name="exit_type")
    present = django_filters.CharFilter(method="still_here")
    counted = django_filters.CharFilter(method="counted_in")
    row = django_filters.CharFilter(method="statistics_row")

    def __init__(self, data: Any, queryset: QuerySet[Stay], *, user: Any, **kwargs: Any) -> None:
        super().__init__(data, queryset, **kwargs)
        self.user = user

    def search(self, stays: QuerySet[Stay], name: str, value: str) -> QuerySet[Stay]:
        from .selectors import can_see_minors, stay_search

        return stays.filter(stay_search(value, identity=can_see_minors(self.user)))

    def counted_in(self, stays: QuerySet[Stay], name: str, value: str) -> QuerySet[Stay]:
        # A figure of the dashboards counts no request that ended in help refused.
        return stays.exclude(exit_type=ExitType.HELP_REFUSED)

    def admitted_from(self, stays: QuerySet[Stay], name: str, value: Any) -> QuerySet[Stay]:
        if self.cleaned_data.get("counted") == "stayed":
            # The stays with nights inside the period (DESIGN.md's person-days rule): still
            # here, or gone after its first day, or a same-day stay inside it.
            return stays.filter(
                Q(left_on__isnull=True)
                | Q(left_on__gt=value)
                | Q(left_on=F("admitted_on"), admitted_on__gte=value)
            )
        return stays.filter(admitted_on__gte=value)

    def admitted_to(self, stays: QuerySet[Stay], name: str, value: Any) -> QuerySet[Stay]:
        return stays.filter(admitted_on__lte=value)

    def still_here(self, stays: QuerySet[Stay], name: str, value: str) -> QuerySet[Stay]:
        if value == "yes":
            return stays.filter(left_at__isnull=True)
        return stays.filter(left_at__isnull=False) if value == "no" else stays

    def statistics_row(self, stays: QuerySet[Stay], name: str, value: str) -> QuerySet[Stay]:
        return statistics.filter_row(stays, value, self.cleaned_data.get("end"))


class PeriodFilter(FormFilterSet):
    """A station's records in a period: ``start`` and ``end`` days, both included, of the
    record's ``date_field`` (the date that puts it in a period)."""

    form_class = PeriodFilterForm

    start = django_filters.DateFilter(method="from_day")
    end = django_filters.DateFilter(method="to_day")

    def __init__(self, data: Any, queryset: QuerySet, *, date_field: str, **kwargs: Any) -> None:
        super().__init__(data, queryset, **kwargs)
        self.date_field = date_field

    def from_day(self, records: QuerySet, name: str, value: Any) -> QuerySet:
        return records.filter(**{f"{self.date_field}__gte": value})

    def to_day(self, records: QuerySet, name: str, value: Any) -> QuerySet:
        return records.filter(**{f"{self.date_field}__lte": value})


class TicketFilter(PeriodFilter):
    """The tickets of a period, of a channel, past their deadline (over tickets annotated with
    ``is_overdue``: TicketQuerySet.with_overdue, the one definition)."""

    form_class = TicketFilterForm

    channel = django_filters.CharFilter(field_name="channel")
    overdue = django_filters.BooleanFilter(method="past_deadline")

    def past_deadline(self, tickets: QuerySet, name: str, value: bool) -> QuerySet:
        return tickets.filter(is_overdue=True) if value else tickets
