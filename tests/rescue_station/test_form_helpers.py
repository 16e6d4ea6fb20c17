"""The shared helpers of the list and form pages: one way to page a list (paging.page_of), one
way to put a service's refusal on a form (forms.errors_to_form), one way to filter a list
(filters.FormFilterSet)."""

from __future__ import annotations

import ast
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import RequestFactory

from cases.models import Person
from rescue_station.filters import FormFilterSet
from rescue_station.forms import error_text, errors_to_form
from rescue_station.paging import page_of
from rescue_station.query import BadQuery, bounded_int

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cases", "minors", "budget", "performance", "dashboards", "rescue_station")


class NameForm(forms.Form):
    name = forms.CharField(required=False)


def _bound() -> NameForm:
    form = NameForm({"name": "x"})
    assert form.is_valid()
    return form


def test_it_puts_a_refusal_of_a_field_on_that_field():
    form = _bound()
    errors_to_form(form, ValidationError({"name": "Too short."}))
    assert form.errors["name"] == ["Too short."]


def test_it_puts_a_refusal_of_a_field_the_form_lacks_above_the_fields():
    form = _bound()
    refusal = ValidationError({"id_number": "Taken.", NON_FIELD_ERRORS: "Closed."})
    errors_to_form(form, refusal)
    assert sorted(form.non_field_errors()) == ["Closed.", "Taken."]
    assert "id_number" not in form.errors


def test_django_alone_would_fail_on_the_field_the_form_lacks():
    # Why the helper exists: add_error(None, ...) with a model field not on the form is a 500.
    with pytest.raises(ValueError, match="id_number"):
        _bound().add_error(None, ValidationError({"id_number": "Taken."}))


def test_it_puts_a_refusal_without_fields_above_the_fields():
    form = _bound()
    errors_to_form(form, ValidationError(["One.", "Two."]))
    assert form.non_field_errors() == ["One.", "Two."]
    assert error_text(ValidationError(["One.", "Two."])) == "One. Two."


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module is not None
    }


def test_only_the_paging_module_pages_a_list():
    pagers = sorted(
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "django.core.paginator" in _imports(path)
    )
    assert pagers == ["rescue_station/paging.py"], "page lists with rescue_station.paging.page_of"


@pytest.mark.django_db
def test_the_rows_of_a_page_are_made_by_the_page_hook_only_for_that_page(station, settings):
    settings.PAGE_SIZE = 2
    Person.objects.bulk_create(Person(station=station, name=f"人{i}") for i in range(5))
    seen: list[int] = []

    def shown(rows):
        rows = list(rows)
        seen.append(len(rows))
        return [row.name for row in rows]

    page = page_of(
        RequestFactory().get("/", {"page": "2"}), Person.objects.order_by("name"), rows=shown
    )
    assert list(page) == ["人2", "人3"]
    assert seen == [2]


class YearField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return bounded_int(value, minimum=1900, maximum=2100, message="bad") if value else None


class PersonFilterForm(forms.Form):
    name = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=[("", "All"), ("a", "A")], required=False)
    year = YearField(required=False)


class PersonFilter(FormFilterSet):
    form_class = PersonFilterForm

    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    kind = django_filters.CharFilter(method="by_kind")

    def by_kind(self, queryset, name, value):
        return queryset.none()


@pytest.mark.django_db
def test_a_filter_set_filters_by_its_forms_values(station):
    Person.objects.bulk_create(Person(station=station, name=n) for n in ("张三", "李四"))
    filtered = PersonFilter({"name": "张"}, Person.objects.all())
    assert [p.name for p in filtered.qs] == ["张三"]
    assert PersonFilter({"name": "张", "kind": "a"}, Person.objects.all()).qs.count() == 0


@pytest.mark.django_db
def test_a_filter_set_leaves_the_list_unfiltered_when_its_form_refuses_a_value(station):
    Person.objects.bulk_create(Person(station=station, name=n) for n in ("张三", "李四"))
    refused = PersonFilter({"name": "张", "kind": "bogus"}, Person.objects.all())
    assert refused.qs.count() == 2
    assert "kind" in refused.form.errors
    assert not PersonFilter({}, Person.objects.all()).form.is_bound


@pytest.mark.django_db
def test_a_filter_set_answers_400_to_a_value_its_form_says_cannot_be():
    with pytest.raises(BadQuery):
        PersonFilter({"year": "10" * 30}, Person.objects.all()).qs  # noqa: B018


def test_the_lists_share_one_filter_block():
    templates = [path for app in (*APPS, "templates") for path in (ROOT / app).rglob("*.html")]
    blocks = {
        str(path.relative_to(ROOT))
        for path in templates
        if 'class="filters"' in path.read_text(encoding="utf-8")
    }
    assert blocks == {"templates/includes/filters.html"}, (
        'include "includes/filters.html" with filter_form=…'
    )
