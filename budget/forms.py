"""Forms of the budget pages: they parse input; the services validate again and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rescue_station.forms import VersionedFormMixin
from rescue_station.models import Station
from rescue_station.pickers import use_picker
from rescue_station.query import DB_INT_MAX, BoundedChoicesMixin, SearchField

from .models import (
    IMMUTABLE_HINT,
    NATURE_ORDER,
    BudgetLine,
    Expenditure,
    FunctionClass,
    FundingSource,
    Nature,
    Project,
)
from .pickers import line_label, project_label


def _item_codes() -> Any:
    """Only 7-digit codes (项) in use can carry money."""
    return FunctionClass.objects.filter(active=True, code__regex=r"^\d{7}$").order_by("code")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProjectForm(BoundedChoicesMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "year",
            "name",
            "basis_document",
            "function_class",
            "added_mid_year",
            "carried_over",
            "allocated",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.station = station  # so that the unique name check is per station
        self.fields["function_class"].queryset = _item_codes()


class BudgetLineForm(BoundedChoicesMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = [
            "year",
            "source",
            "nature",
            "function_class",
            "project",
            "initial",
            "adjusted",
            "description",
        ]

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.station = station
        self.fields["function_class"].queryset = _item_codes()
        self.fields["source"].queryset = FundingSource.objects.all()
        self.fields["project"].queryset = Project.objects.for_station(station).order_by(
            "-year", "name"
        )
        self.fields["project"].help_text = _("Required for project expenditure, empty otherwise.")
        use_picker(self.fields["project"], "budget:pick_projects", project_label)


class ExpenditureForm(BoundedChoicesMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Expenditure
        fields = ["line", "date", "amount", "voucher_no", "description"]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = (
            BudgetLine.objects.for_station(station)
            .select_related("function_class", "project", "source")
            .order_by("-year", NATURE_ORDER, "function_class__code", "pk")
        )
        use_picker(self.fields["line"], "budget:pick_lines", line_label)
        if self.instance.pk is not None:
            # A recorded payment changes its money only by being voided and recorded again.
            for name in ("line", "date", "amount"):
                self.fields[name].disabled = True
            self.fields["amount"].help_text = IMMUTABLE_HINT


class VoidForm(VersionedFormMixin, forms.Form):
    """Void (红冲) a wrong expenditure, saying why, from the version the page showed
    (``version_of``): a payment changed since is not voided unseen."""

    void_reason = forms.CharField(
        label=_("Reason for voiding"),
        max_length=Expenditure._meta.get_field("void_reason").max_length,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. wrong amount, wrong line")}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].widget.attrs["data-autosubmit"] = ""


class LineFilterForm(BoundedChoicesMixin, forms.Form):
    q = SearchField(label=_("Search"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    nature = forms.ChoiceField(label=_("Nature"), required=False)
    source = forms.ModelChoiceField(
        label=_("Funding source"),
        queryset=FundingSource.objects.all(),
        required=False,
        empty_label=_("All sources"),
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(y, str(y)) for y in years]]
        self.fields["nature"].choices = [("", _("All natures")), *Nature.choices]


class ProjectFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    mid_year = forms.BooleanField(label=_("Added mid-year only"), required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(y, str(y)) for y in years]]


class ExpenditureFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, required=False, empty_value=None)
    nature = forms.ChoiceField(label=_("Nature"), required=False)
    line = forms.IntegerField(
        label=_("Budget line no."), required=False, min_value=1, max_value=DB_INT_MAX
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(y, str(y)) for y in years]]
        self.fields["month"].choices = [("", _("All months")), *[(m, str(m)) for m in range(1, 13)]]
        self.fields["nature"].choices = [("", _("All natures")), *Nature.choices]
