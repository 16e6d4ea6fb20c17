"""Form parts shared by the apps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import EditConflict
from .models import AccessKind, Versioned
from .query import SearchField

T = TypeVar("T")

MISSING_VERSION = _(
    "This form does not say which version of the record it was loaded from: open the page again."
)


class VersionField(forms.IntegerField):
    """The hidden version of a record on its edit form. ``version_required``: a form for an
    existing record must send it; a record the form may create (a text not written yet) has
    none."""

    widget = forms.HiddenInput

    def __init__(self, *, version_required: bool = True, **kwargs: Any) -> None:
        super().__init__(min_value=0, required=False, **kwargs)
        self.version_required = version_required


class VersionedFormMixin:
    """An edit form that carries, in a hidden field, the version its record was loaded from.

    Put it first among the bases: ``class TicketForm(VersionedFormMixin, forms.ModelForm)``.
    The record is the ModelForm's instance, or ``version_of=`` for a plain form. A form for a new
    record has no version field. A form over several records adds one field each with
    ``add_version_field`` and names it in ``version_field_for``.

    The versions are taken out of ``cleaned_data`` into ``versions`` (``expected_version`` for
    the one record), which the view hands to the service. When the service refuses the save
    (``EditConflict``, put on the form with ``add_error`` like any refusal), the form keeps what
    was typed, shows who changed what, and takes the record's current version: saving again is
    then a choice made having seen the other change.
    """

    VERSION_FIELD = "version"

    def __init__(self, *args: Any, version_of: Versioned | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions: dict[str, int | None] = {}
        self.conflict: EditConflict | None = None
        record = version_of if version_of is not None else getattr(self, "instance", None)
        if isinstance(record, Versioned) and record.pk is not None:
            self.add_version_field(self.VERSION_FIELD, record)

    def add_version_field(
        self, name: str, record: Versioned | None, *, required: bool = True
    ) -> None:
        """A hidden field with the version of ``record`` (empty for a record not there yet)."""
        self.fields[name] = VersionField(
            version_required=required, initial=record.version if record is not None else None
        )

    @property
    def expected_version(self) -> int | None:
        return self.versions.get(self.VERSION_FIELD)

    def version_field_for(self, record: models.Model) -> str | None:
        """The field that holds the version of ``record``: the one record's field by default."""
        return self.VERSION_FIELD if self.VERSION_FIELD in self.fields else None

    def conflict_subject(self, record: models.Model) -> str:
        """How a refusal names the record: not at all for the one record of the form; a form
        over several records names the one that changed."""
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        names = [n for n, f in self.fields.items() if isinstance(f, VersionField)]
        for name in names:
            self.versions[name] = data.pop(name, None)
        if any(self.fields[n].version_required and self.versions[n] is None for n in names):
            self.add_error(None, MISSING_VERSION)
        return data

    def sent_no_version(self) -> bool:
        """The post carries none of the form's version fields: a page from before versions, or
        not from our page at all (a form whose version fields are all optional checks this)."""
        names = [n for n, f in self.fields.items() if isinstance(f, VersionField)]
        return bool(names) and not any(self.add_prefix(n) in self.data for n in names)

    def add_error(self, field: str | None, error: Any) -> None:
        if isinstance(error, EditConflict):
            self._take_current_version(error)
            subject = self.conflict_subject(error.record)
            error = error.about(subject) if subject else error
            field = None
        super().add_error(field, error)

    def _take_current_version(self, conflict: EditConflict) -> None:
        self.conflict = conflict
        name = self.version_field_for(conflict.record)
        if name is None or conflict.current_version is None:
            return
        data = self.data.copy()
        data[self.add_prefix(name)] = str(conflict.current_version)
        self.data = data


class VersionForm(VersionedFormMixin, forms.Form):
    """Nothing but the record's version: the form of a button that removes a record."""


def errors_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal on the form, by field where the field is on the form (the rest,
    an edit conflict included, above the fields): the one way a view shows a refusal on a form.
    ``form.add_error(None, error)`` would raise ValueError (a 500) for a refusal naming a model
    field the form does not have."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    """A service's refusal as one line, for a page that shows it as a message (no form)."""
    return " ".join(error.messages)


def save_through(form: forms.BaseForm, write: Callable[[], T]) -> T | None:
    """Run the service; a refusal goes onto the form (nothing was saved) and gives None."""
    try:
        return write()
    except ValidationError as error:
        errors_to_form(form, error)
        return None


def model_form_field(model: type[models.Model], name: str, **kwargs: Any) -> forms.Field:
    """The form field of a model's field, with the model field's validators: a plain form (one
    over several records) applies the model's rule as it is typed, the rule written once."""
    model_field = model._meta.get_field(name)
    field = model_field.formfield(**kwargs)
    field.validators = [
        *field.validators,
        *(v for v in model_field.validators if v not in field.validators),
    ]
    return field


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AccessLogFilterForm(forms.Form):
    q = SearchField(label=_("Record or list"))
    user = SearchField(label=_("User"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *AccessKind.choices], required=False
    )
    record_type = forms.ChoiceField(label=_("Record type"), choices=[], required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, record_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", _("All")), *record_types]
