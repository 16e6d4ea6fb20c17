"""One way to filter a list by its query string: a FilterSet (django-filter) applied in the
app's selector, never ``if data["x"]: qs = qs.filter(...)`` in a view.

The list's filter form (the app's ``forms.py``) says what each value may be: the choices offered,
a search cut to ``query.SEARCH_MAX_LENGTH``, keys bounded to the database's integers. The filters
of the set say what a value does to the list. A query string the form refuses leaves the list
unfiltered, as the pages always did: a list and the form with its errors, never a 500. A value
that cannot be what the page asks for at all (a year out of range) is the form's to refuse with
``query.BadQuery``, which answers 400.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from .forms import AccessLogFilterForm


class FormFilterSet(django_filters.FilterSet):
    """A FilterSet over the list's own filter form ``form_class`` (built with ``form_kwargs``):
    each filter is named as the form field whose cleaned value it takes."""

    form_class: ClassVar[type[forms.Form]]

    def __init__(
        self,
        data: Any,
        queryset: QuerySet,
        *,
        form_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        # No query string: the list as it is (an unbound form, showing no errors).
        super().__init__(data or None, queryset, **kwargs)
        self.form_kwargs = form_kwargs or {}

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            data = self.data if self.is_bound else None
            self._form = self.form_class(data, prefix=self.form_prefix, **self.form_kwargs)
        return self._form

    @property
    def cleaned_data(self) -> dict[str, Any]:
        """The form's values (empty when it refuses the query string): what a filter whose
        effect depends on another value reads (``method`` filters)."""
        return self.form.cleaned_data if self.is_valid() else {}

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.is_valid():
            return queryset
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


class AccessLogFilter(FormFilterSet):
    """The access log: ``q`` in the record's name, the list's name or its filter; ``user`` in
    the username or full name; ``kind``; ``record_type``; ``start`` and ``end`` local days,
    both included."""

    form_class = AccessLogFilterForm

    q = django_filters.CharFilter(method="search")
    user = django_filters.CharFilter(method="by_user")
    kind = django_filters.CharFilter(field_name="kind")
    record_type = django_filters.CharFilter(field_name="record_type")
    start = django_filters.DateFilter(method="from_day")
    end = django_filters.DateFilter(method="to_day")

    def search(self, entries: QuerySet, name: str, value: str) -> QuerySet:
        return entries.filter(
            Q(record_label__icontains=value)
            | Q(list_name__icontains=value)
            | Q(query__icontains=value)
        )

    def by_user(self, entries: QuerySet, name: str, value: str) -> QuerySet:
        return entries.filter(
            Q(user__username__icontains=value) | Q(user__full_name__icontains=value)
        )

    def from_day(self, entries: QuerySet, name: str, value: date) -> QuerySet:
        return entries.filter(accessed_at__gte=_day_start(value))

    def to_day(self, entries: QuerySet, name: str, value: date) -> QuerySet:
        return entries.filter(accessed_at__lt=_day_start(value + timedelta(days=1)))
