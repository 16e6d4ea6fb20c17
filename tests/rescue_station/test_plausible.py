"""Plausible values: the rules of rescue_station.plausible hold for every field of every model."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from rescue_station.checks import check_plausible_models, project_models
from rescue_station.models import Plausible
from rescue_station.plausible import (
    CLOCK_SKEW,
    TEXT_MAX_LENGTH,
    DateKind,
    check_date,
    latest_planned,
)
from tests.factories import TZ

MODELS = project_models()


def _fields(kind: type[models.Field]) -> list[tuple[type[models.Model], models.Field]]:
    return [
        (model, field)
        for model in MODELS
        for field in model._meta.concrete_fields
        if isinstance(field, kind)
    ]


def _errors_of(record: models.Model, field: models.Field) -> list[ValidationError]:
    """The errors ``clean_fields`` gives for that one field."""
    others = [f.name for f in record._meta.concrete_fields if f.name != field.name]
    try:
        record.clean_fields(exclude=others)
    except ValidationError as error:
        return error.error_dict.get(field.name, [])
    return []


def _label(pair: tuple[type[models.Model], models.Field]) -> str:
    return f"{pair[0]._meta.label}.{pair[1].name}"


TEXT_FIELDS = _fields(models.CharField) + _fields(models.TextField)
DATE_FIELDS = [
    (m, f)
    for m, f in _fields(models.DateField)
    if f.editable and not getattr(f, "auto_now_add", False)
]


def test_it_finds_every_model_of_the_project_and_each_is_plausible():
    assert len(MODELS) >= 40
    assert all(issubclass(model, Plausible) for model in MODELS)
    assert check_plausible_models() == []


def test_the_system_check_names_a_model_that_is_not_plausible(monkeypatch):
    monkeypatch.setattr("rescue_station.checks.project_models", lambda: [Session])
    errors = check_plausible_models()
    assert [e.id for e in errors] == ["rescue_station.E001"]


@pytest.mark.parametrize("pair", TEXT_FIELDS, ids=_label)
def test_every_text_field_refuses_control_characters(pair):
    model, field = pair
    own_rules = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    for char in ["\x1b", "\x07", "\x00", "\x7f", "\x85", "\u202e", "\u2066"]:
        errors = _errors_of(model(**{field.attname: f"张{char}三"}), field)
        assert errors, f"{_label(pair)} took {char!r}"
        if not field.choices and not own_rules:  # else the field's own rule refuses it first
            assert errors[0].code == "control_character"


@pytest.mark.parametrize("pair", TEXT_FIELDS, ids=_label)
def test_every_text_field_keeps_line_breaks_and_tabs(pair):
    model, field = pair
    if field.choices or (field.max_length is not None and field.max_length < 5):
        pytest.skip("a choice or a code")
    record = model(**{field.attname: "a\tb\r\nc"[: field.max_length or 10]})
    assert not [e for e in _errors_of(record, field) if e.code == "control_character"]


@pytest.mark.parametrize("pair", _fields(models.TextField), ids=_label)
def test_every_text_field_has_a_maximum_length(pair):
    model, field = pair
    limit = field.max_length or TEXT_MAX_LENGTH
    assert limit <= TEXT_MAX_LENGTH
    assert not _errors_of(model(**{field.attname: "字" * limit}), field)
    errors = _errors_of(model(**{field.attname: "字" * (limit + 1)}), field)
    assert [e.code for e in errors] == ["text_too_long"]


@pytest.mark.parametrize("pair", DATE_FIELDS, ids=_label)
@pytest.mark.parametrize("year", [1, 1899, 9999])
def test_every_date_field_refuses_the_edges_of_the_calendar_with_a_message(pair, year):
    model, field = pair
    if isinstance(field, models.DateTimeField):
        value = datetime(year, 12 if year > 2000 else 1, 31, 23, 59, tzinfo=TZ)
    else:
        value = date(year, 12, 31)
    errors = _errors_of(model(**{field.attname: value}), field)
    assert [e.code for e in errors] == [
        "date_too_early"
        if year < 1900
        else ("date_in_future" if _happened(pair) else "date_too_late")
    ]
    assert "".join(errors[0].messages)


def _happened(pair) -> bool:
    model, field = pair
    return model.date_kinds.get(field.name, DateKind.HAPPENED) == DateKind.HAPPENED


def test_the_date_kinds_name_date_fields_of_their_models():
    named = [(m, name) for m in MODELS for name in m.date_kinds]
    assert named  # deadlines and periods exist
    for model, name in named:
        assert isinstance(model._meta.get_field(name), models.DateField), (model, name)


def test_a_happened_moment_may_be_a_few_minutes_ahead_but_not_more():
    now = timezone.now()
    check_date(now + CLOCK_SKEW - timedelta(seconds=5))
    with pytest.raises(ValidationError):
        check_date(now + CLOCK_SKEW + timedelta(minutes=1))
    check_date(timezone.localdate())
    with pytest.raises(ValidationError):
        check_date(timezone.localdate() + timedelta(days=1))


def test_a_planned_date_may_be_years_ahead_but_not_more():
    check_date(latest_planned(), DateKind.PLANNED)
    check_date(timezone.localdate() + timedelta(days=30), DateKind.PLANNED)
    with pytest.raises(ValidationError):
        check_date(latest_planned() + timedelta(days=1), DateKind.PLANNED)
    with pytest.raises(ValidationError):
        check_date(date(1899, 12, 31), DateKind.PERIOD)
