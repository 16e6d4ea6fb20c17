"""Forms of the core app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AccessLogFilterForm(forms.Form):
    q = forms.CharField(label=_("Record or list"), required=False)
    user = forms.CharField(label=_("User"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *AccessKind.choices], required=False
    )
    record_type = forms.ChoiceField(label=_("Record type"), choices=[], required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, record_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", _("All")), *record_types]
