"""Search-as-you-type pickers for choices among a station's records (persons, children, budget
lines, projects, care institutions).

A form field keeps its station-scoped queryset, so that validation still refuses a record of
another station or a bogus key; its widget (``RecordPicker``/``RecordPickerMultiple``) renders
only the chosen options, never the whole queryset (a station has thousands of persons), and names
the endpoint that answers the search. ``static/js/pickers.js`` turns each such select into a Tom
Select field that asks that endpoint as the user types. Without JavaScript the select shows the
chosen record only; the pages are for the browsers the stations use, which run it.

Each app declares its endpoints with ``picker_response``: the records the user may choose in the
current station, a search condition, a label. The same label function is the field's
``label_from_instance``, so that an option reads the same whether the page or the search drew it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .query import DB_INT_MAX, DB_INT_MIN, search_param

PICKER_LIMIT = 20  # results per search: enough to see the one meant, short enough to read
# Names are matched by prefix below this many characters, by containment from it (as the stay
# list searches, cases.selectors.SEARCH_CONTAINS_FROM): "张" alone would contain-match half the
# archive.
CONTAINS_FROM = 3


def label_parts(*parts: Any) -> str:
    """The non-empty parts joined as the pickers show them: ``张三 · 1975 · 湖南株洲``."""
    return " · ".join(str(p).strip() for p in parts if p not in (None, "") and str(p).strip())


def name_search(q: str, *fields: str) -> Q:
    """Records whose ``fields`` start with ``q`` (contain it, from CONTAINS_FROM characters)."""
    lookup = "icontains" if len(q) >= CONTAINS_FROM else "istartswith"
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__{lookup}": q})
    return condition


class _PickerMixin:
    """Renders the selected options only, with the endpoint's URL for the script."""

    allow_multiple_selected: bool

    def __init__(self, url_name: str, attrs: dict[str, Any] | None = None) -> None:
        self.url_name = url_name
        super().__init__(attrs)  # type: ignore[call-arg]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)  # type: ignore[misc]
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-picker-url"] = reverse(self.url_name)
        widget_attrs["data-picker-placeholder"] = _("Type a name or number to search")
        widget_attrs["data-picker-none"] = _("Nothing found")
        return context

    def _chosen(self, values: Iterable[Any]) -> list[tuple[str, str]]:
        """(value, label) of the chosen records that exist in the field's queryset."""
        choices = self.choices  # type: ignore[attr-defined]
        queryset = getattr(choices, "queryset", None)
        field = getattr(choices, "field", None)
        if queryset is None or field is None:
            return []
        key_name = field.to_field_name or queryset.model._meta.pk.name
        key = queryset.model._meta.get_field(key_name)
        keys = []
        for value in values:
            if value in (None, ""):
                continue
            try:
                python = key.to_python(str(value).strip())
            except ValidationError:
                continue
            if isinstance(key, models.IntegerField) and not DB_INT_MIN <= python <= DB_INT_MAX:
                continue
            keys.append(python)
        if not keys:
            return []
        found = queryset.filter(**{f"{key_name}__in": keys})
        by_key = {str(getattr(obj, key_name)): obj for obj in found}
        return [
            (k, field.label_from_instance(by_key[k]))
            for k in dict.fromkeys(str(v) for v in keys)
            if k in by_key
        ]

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> Any:
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", not any(value), 0, attrs=attrs))  # type: ignore[attr-defined]
        for index, (key, label) in enumerate(self._chosen(value), start=len(options)):
            options.append(self.create_option(name, key, label, True, index, attrs=attrs))  # type: ignore[attr-defined]
        return [(None, options, 0)]


class RecordPicker(_PickerMixin, forms.Select):
    """A single choice among a station's records, searched as the user types."""


class RecordPickerMultiple(_PickerMixin, forms.SelectMultiple):
    """Several records (an activity's participants), searched as the user types."""


def use_picker(
    field: forms.Field, url_name: str, label: Callable[[Any], str], *, multiple: bool = False
) -> None:
    """Make ``field`` (a model choice field whose queryset is already scoped) a picker."""
    widget_class = RecordPickerMultiple if multiple else RecordPicker
    widget = widget_class(url_name, attrs=dict(field.widget.attrs))
    widget.attrs.pop("size", None)
    widget.is_required = field.widget.is_required
    widget.choices = field.choices  # type: ignore[attr-defined]
    field.widget = widget
    field.label_from_instance = label  # type: ignore[attr-defined]


def picker_results(
    request: HttpRequest,
    queryset: QuerySet[Any],
    search: Callable[[str], Q],
    label: Callable[[Any], str],
) -> list[dict[str, str]]:
    """The search answer of a picker: ``[{value, text}]`` of at most PICKER_LIMIT records of
    ``queryset`` (already scoped to the user, the station and what the user may see) matching
    ``?q=``; nothing for an empty term."""
    q = search_param(request)
    if not q:
        return []
    records = queryset.filter(search(q))[:PICKER_LIMIT]
    return [{"value": str(r.pk), "text": label(r)} for r in records]


def picker_response(
    request: HttpRequest,
    queryset: QuerySet[Any],
    search: Callable[[str], Q],
    label: Callable[[Any], str],
) -> JsonResponse:
    return JsonResponse(picker_results(request, queryset, search, label), safe=False)


def require_any_perm(user: Any, *perms: str) -> None:
    """A picker answers whoever may fill in one of the forms that use it, and nobody else."""
    if not any(user.has_perm(p) for p in perms):
        raise PermissionDenied
