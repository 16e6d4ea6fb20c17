"""What a page reads from its query string (and the few values a form posts outside its fields),
parsed in one place: a year, a month (integers within bounds), a search term, a page to go back to.

A value that cannot be what the page asks for answers 400 with a short message (``BadQuery``,
drawn by ``rescue_station.views.bad_request``), never a 500 from deeper down (a date of year
10**30, an integer the database cannot hold, a search pattern SQLite finds too complex) and never a
silent other year. The model-choice fields here refuse keys outside the database's integer range
before they reach the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import selectors

YEAR_MIN = 1900
SEARCH_MAX_LENGTH = 100  # longer terms are cut: nobody types more, and SQLite refuses long LIKEs
# The range of the keys (BigAutoField) and of the integer columns on every supported database.
DB_INT_MIN, DB_INT_MAX = -(2**63), 2**63 - 1


class BadQuery(BadRequest):
    """A query parameter the page cannot use; its message is shown on the 400 page."""


def year_max() -> int:
    """The last year a page may be asked for: next year (a plan drafted in December)."""
    return selectors.local_today().year + 1


def figures_year_max() -> int:
    """The last year of a page of figures: this year (a year to come has none yet)."""
    return selectors.local_today().year


def bounded_int(raw: Any, *, minimum: int, maximum: int, message: str) -> int:
    """``raw`` as an integer within [minimum, maximum], or BadQuery with ``message``."""
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise BadQuery(message) from None
    if not minimum <= value <= maximum:
        raise BadQuery(message)
    return value


def year_param(
    request: HttpRequest,
    name: str = "year",
    *,
    default: int | None = None,
    last: int | None = None,
) -> int:
    """The year ``?year=`` (``default``, else this year, when absent): the one parser of a year
    in a query string. 400 (``BadQuery``) unless a year from 1900 to ``last`` (next year unless
    the page says otherwise: ``figures_year_max()`` for the pages of figures); the page's year
    selector offers years of ``year_options`` (or others within the same bounds)."""
    raw = request.GET.get(name, "")
    if raw == "":
        return default if default is not None else selectors.local_today().year
    return parse_year(raw, last=last)


def parse_year(raw: Any, *, last: int | None = None) -> int:
    """``raw`` as a year from 1900 to ``last`` (next year), else BadQuery (400)."""
    maximum = year_max() if last is None else last
    message = _("The year must be from %(min)s to %(max)s.") % {"min": YEAR_MIN, "max": maximum}
    return bounded_int(raw, minimum=YEAR_MIN, maximum=maximum, message=message)


class YearField(forms.IntegerField):
    """The year selector of a filter form: empty for every year, else a year as ``year_param``
    reads it (400 outside 1900 to ``last``, whether or not the selector offers it). The form
    sets the years offered (``year_options``) with ``offer``."""

    widget = forms.Select

    def __init__(self, *, last: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.last = last

    def offer(self, years: list[int], everything: str) -> None:
        self.widget.choices = [("", everything), *[(y, str(y)) for y in years]]

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        return parse_year(value, last=self.last)


class MonthField(forms.IntegerField):
    """The month of a filter form: empty for the page's own month, else a month as
    ``month_param`` reads it (400 unless from 1 to 12)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        return bounded_int(
            value, minimum=1, maximum=12, message=_("The month must be from 1 to 12.")
        )


def year_options(
    last: int | None = None,
    *,
    first: int | None = None,
    count: int = 5,
    shown: int | None = None,
) -> list[int]:
    """The years a year selector offers, newest first: from ``last`` (this year) back to
    ``first`` (else ``count`` years), and the year ``shown`` when it is another: all of them
    years that ``year_param`` accepts with the same ``last``."""
    last = selectors.local_today().year if last is None else last
    first = max(YEAR_MIN, last - count + 1 if first is None else first)
    years = set(range(first, last + 1))
    if shown is not None and YEAR_MIN <= shown <= last:
        years.add(shown)
    return sorted(years, reverse=True)


def month_param(request: HttpRequest, name: str = "month", *, default: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    return bounded_int(raw, minimum=1, maximum=12, message=_("The month must be from 1 to 12."))


def search_term(raw: str | None) -> str:
    """A search term as the selectors receive it: trimmed, without NUL (PostgreSQL refuses it in
    a query) and at most SEARCH_MAX_LENGTH characters."""
    return (raw or "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH].strip()


def search_param(request: HttpRequest, name: str = "q") -> str:
    return search_term(request.GET.get(name))


class SearchField(forms.CharField):
    """The search box of a filter form: the term cut as ``search_term`` cuts it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return search_term(super().to_python(value))


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The page to go back to (``next`` posted with a form): a path of this site, else fallback."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


def _key_in_range(field: forms.ModelChoiceField, value: Any) -> bool:
    """Whether ``value`` can be a key of the field's model: a key out of the integer range would
    raise in the database (OverflowError on SQLite, DataError on PostgreSQL) instead of not
    matching."""
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    if not isinstance(key, models.IntegerField):  # a text key matches or does not
        return True
    try:
        return DB_INT_MIN <= int(str(value).strip()) <= DB_INT_MAX
    except ValueError:
        return True  # not a number: the field's own "invalid" error says so


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _key_in_range(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        for each in value if isinstance(value, list | tuple) else [value]:
            if not _key_in_range(self, each):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(each)[:40]},
                )
        return super()._check_values(value)


class BoundedChoicesMixin:
    """For a form with model-choice fields (declared or made by a ModelForm from a relation): each
    becomes its bounded kind, so that a key out of the integer range is an invalid choice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            # The bounded kinds add no state: the field (a copy for this form) changes class.
            if type(field) is forms.ModelMultipleChoiceField:
                field.__class__ = BoundedModelMultipleChoiceField
            elif type(field) is forms.ModelChoiceField:
                field.__class__ = BoundedModelChoiceField


@dataclass(frozen=True)
class Sorting:
    """The order a list was asked for (``?sort=key`` ascending, ``?sort=-key`` descending), or the
    list's own order when ``key`` is empty. ``keys`` are the columns the list may be sorted by."""

    key: str
    descending: bool
    fields: tuple[str, ...]
    keys: frozenset[str]

    def apply(self, queryset: models.QuerySet | list) -> models.QuerySet | list:
        """The queryset in this order; with no key, in the order it already has (the one its
        indexes are built for). The key breaks ties, so that paging never repeats a row.
        A list built in Python (its fields are then attribute paths, e.g. ``child.name``) is
        sorted stably, its own order breaking ties."""
        if not self.key:
            return queryset
        if isinstance(queryset, list):
            getters = [attrgetter(f) for f in self.fields]
            return sorted(
                queryset, key=lambda row: [g(row) for g in getters], reverse=self.descending
            )
        order = [
            models.F(f).desc(nulls_last=True)
            if self.descending
            else models.F(f).asc(nulls_last=True)
            for f in self.fields
        ]
        return queryset.order_by(*order, "-pk" if self.descending else "pk")


class SortableColumns:
    """The columns of one list that its headers may sort by: a key in the query string (never a
    field name from it) → the fields to order by."""

    def __init__(self, **columns: str | tuple[str, ...]) -> None:
        self.columns = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in columns.items()}

    def parse(self, request: HttpRequest, name: str = "sort") -> Sorting:
        """The order ``?sort=`` asks for; 400 for a key this list has no column for."""
        raw = request.GET.get(name, "").strip()
        key = raw.removeprefix("-")
        if raw and key not in self.columns:
            raise BadQuery(_("This list cannot be sorted that way."))
        return Sorting(
            key=key,
            descending=raw.startswith("-"),
            fields=self.columns.get(key, ()),
            keys=frozenset(self.columns),
        )
