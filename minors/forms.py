"""Forms of the minors app: they parse and validate input; the services write."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import Stay
from rescue_station import selectors as core_selectors
from rescue_station.forms import VersionedFormMixin
from rescue_station.models import Station, User
from rescue_station.pickers import use_picker
from rescue_station.query import BoundedChoicesMixin, MonthField, SearchField, YearField
from rescue_station.roles import Role

from .models import (
    Activity,
    ActivityKind,
    CaseReason,
    Child,
    ChildCategory,
    CounsellingSession,
    FollowUp,
    GuardianshipAssessment,
    Intervention,
    MandatoryReport,
    MinorCase,
    RiskLevel,
    Visit,
    VisitStatus,
)
from .pickers import child_label
from .selectors import DueState

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _workers(station: Station) -> Any:
    return User.objects.filter(
        memberships__station=station, role__in=[Role.MINORS_WORKER, Role.SUPERVISOR]
    ).order_by("full_name", "username")


class CompactModelForm(VersionedFormMixin, forms.ModelForm):
    """Text areas of three rows: the forms stay on one screen. An edit carries the record's
    version (a record added has none)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3


class CaseOpenForm(BoundedChoicesMixin, forms.Form):
    """Open a case by hand: for a minor's stay without a case, or for a registered child."""

    stay = forms.ModelChoiceField(queryset=Stay.objects.none(), required=False, label=_("Stay"))
    child = forms.ModelChoiceField(
        queryset=Child.objects.none(), required=False, label=_("Registered child")
    )
    reason = forms.ChoiceField(choices=CaseReason.choices, label=_("Reason"))
    reason_detail = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Circumstances")
    )
    guardian_name = forms.CharField(max_length=60, required=False, label=_("Guardian"))
    guardian_relation = forms.CharField(
        max_length=30, required=False, label=_("Guardian's relation")
    )
    guardian_phone = forms.CharField(max_length=30, required=False, label=_("Guardian's phone"))

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stay"].queryset = (
            Stay.objects.for_station(station)
            .filter(is_minor=True, minor_case__isnull=True)
            .select_related("person")
        )
        self.fields["child"].queryset = Child.objects.for_station(station)
        use_picker(self.fields["child"], "minors:pick_children", child_label)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("stay")) == bool(data.get("child")):
            raise forms.ValidationError(_("Choose either a minor's stay or a registered child."))
        return data


class CaseForm(CompactModelForm):
    class Meta:
        model = MinorCase
        fields = [
            "reason",
            "reason_detail",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
            "policy_advice",
            "harm_disclosed_at",
            "outcome",
            "outcome_on",
            "outcome_note",
        ]
        widgets = {"harm_disclosed_at": DATETIME, "outcome_on": DATE}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome_on") and not data.get("outcome"):
            self.add_error("outcome", _("Give the outcome for the outcome date."))
        return data


class CounsellingForm(CompactModelForm):
    class Meta:
        model = CounsellingSession
        fields = ["held_on", "provider_role", "provider_name", "notes"]
        widgets = {"held_on": DATE}


class MandatoryReportForm(CompactModelForm):
    class Meta:
        model = MandatoryReport
        fields = [
            "suspicion",
            "reported_at",
            "recipient",
            "recipient_unit",
            "receipt_no",
            "follow_up",
        ]
        widgets = {"reported_at": DATETIME}


class ReportFollowUpForm(CompactModelForm):
    class Meta:
        model = MandatoryReport
        fields = ["receipt_no", "follow_up"]


class ChildForm(CompactModelForm):
    class Meta:
        model = Child
        fields = [
            "name",
            "gender",
            "birth_date",
            "id_number",
            "category",
            "risk_level",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
            "school",
            "township",
            "village",
            "registered_on",
            "reported_on",
            "notes",
        ]
        widgets = {"birth_date": DATE, "registered_on": DATE, "reported_on": DATE}


class _StationWorkerForm(CompactModelForm):
    """A child sub-record form whose worker is chosen among the station's minors staff."""

    worker_field = "worker"

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.worker_field in self.fields:
            self.fields[self.worker_field].queryset = _workers(station)


FUTURE_VISIT_DONE = _(
    "A visit cannot be recorded as done on a day still to come: plan it for that day instead."
)


class _VisitDoneFields:
    """The date a visit took place: required, and not a day to come."""

    def _require_done_date(self) -> None:
        self.fields["visited_on"].required = True
        self.fields["visited_on"].label = _("Date of the visit")

    def clean_visited_on(self) -> date | None:
        day = self.cleaned_data.get("visited_on")
        if day is not None and day > core_selectors.local_today():
            raise forms.ValidationError(FUTURE_VISIT_DONE, code="date_in_future")
        return day


class VisitForm(_VisitDoneFields, BoundedChoicesMixin, _StationWorkerForm):
    """A visit recorded as done at once (not planned first)."""

    class Meta:
        model = Visit
        fields = ["visited_on", "occasion", "worker", "findings", "help_given"]
        widgets = {"visited_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._require_done_date()


class VisitPlanForm(BoundedChoicesMixin, _StationWorkerForm):
    """Plan a visit: the day and who is to go."""

    class Meta:
        model = Visit
        fields = ["planned_on", "worker", "occasion"]
        widgets = {"planned_on": DATE}
        labels = {"worker": _("Who is to visit")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.status = VisitStatus.PLANNED
        self.fields["planned_on"].required = True
        self.fields["worker"].required = True

    def clean_planned_on(self) -> date | None:
        day = self.cleaned_data.get("planned_on")
        if day is not None and day < core_selectors.local_today():
            raise forms.ValidationError(
                _("A visit is planned for today or a later day."), code="planned_in_past"
            )
        return day


class VisitDoneForm(_VisitDoneFields, BoundedChoicesMixin, _StationWorkerForm):
    """Record a planned visit as done (the form of an existing visit: it carries its version)."""

    class Meta:
        model = Visit
        fields = ["visited_on", "worker", "occasion", "findings", "help_given"]
        widgets = {"visited_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._require_done_date()

    def _post_clean(self) -> None:
        self.instance.status = VisitStatus.DONE  # the rules of a visit done
        super()._post_clean()


class FollowUpForm(BoundedChoicesMixin, _StationWorkerForm):
    class Meta:
        model = FollowUp
        fields = ["worker", "worker_role", "started_on", "ended_on", "goal"]
        widgets = {"started_on": DATE, "ended_on": DATE}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("The end cannot come before the start."))
        return data


class AssessmentForm(BoundedChoicesMixin, _StationWorkerForm):
    worker_field = "assessor"

    class Meta:
        model = GuardianshipAssessment
        fields = ["assessed_on", "assessor", "result", "guidance"]
        widgets = {"assessed_on": DATE}


class InterventionForm(BoundedChoicesMixin, _StationWorkerForm):
    class Meta:
        model = Intervention
        fields = ["started_on", "worker", "plan", "actions", "closed_on"]
        widgets = {"started_on": DATE, "closed_on": DATE}


class ActivityForm(BoundedChoicesMixin, CompactModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "held_on",
            "venue",
            "partner",
            "sessions",
            "participants",
            "children",
            "notes",
        ]
        widgets = {"held_on": DATE}

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = Child.objects.for_station(station)
        # Names repeat in a city's registry: the label tells the children apart.
        use_picker(self.fields["children"], "minors:pick_children", child_label, multiple=True)
        self.fields["children"].help_text = _(
            "Registered children who took part, where known; the participants count includes them."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        children = data.get("children")
        participants = data.get("participants")
        if children is not None and participants is not None and len(children) > participants:
            self.add_error("participants", _("There are more named children than participants."))
        return data


# --- the lists' filters (minors.filters) -----------------------------------------------------


def _search(placeholder: Any) -> SearchField:
    return SearchField(
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder}),
    )


def _choice(label: Any, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", _("All")), *choices], required=False)


class CaseFilterForm(forms.Form):
    q = _search(_("Name or guardian"))
    reason = _choice(_("Reason"), CaseReason.choices)
    status = _choice(_("Status"), [("open", _("Not closed")), ("closed", _("Closed"))])
    overdue = _choice(_("Mandatory report"), [("1", _("Overdue"))])


class ReportFilterForm(forms.Form):
    q = _search(_("Receipt number or unit"))
    late = _choice(_("Reporting deadline"), [("1", _("Past the deadline only"))])


class ChildFilterForm(forms.Form):
    q = _search(_("Name, guardian or school"))
    category = _choice(_("Category"), ChildCategory.choices)
    risk = _choice(_("Risk level"), RiskLevel.choices)
    township = _choice(_("Township"), [])
    due = _choice(_("Visit"), [("1", _("Due now"))])

    def __init__(self, *args: Any, townships: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", _("All")), *[(t, t) for t in townships]]


class ActivityFilterForm(forms.Form):
    q = _search(_("Theme, venue or partner"))
    kind = _choice(_("Type"), ActivityKind.choices)
    year = YearField(label=_("Year"))

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].offer(years, _("All"))


class VisitsDueFilterForm(forms.Form):
    """The visits due by status: planned (已计划) or overdue (已超期)."""

    state = _choice(
        _("Status"),
        [
            (DueState.PLANNED, pgettext_lazy("visit status", "Planned")),
            (DueState.OVERDUE, pgettext_lazy("visit status", "Overdue")),
        ],
    )


class ActivityMonthForm(forms.Form):
    """The month of the activity calendar (``year`` and ``month``, this month when absent; 400
    for a year or month out of range, as ``year_param`` and ``month_param``) and its ``kind``.
    The month is carried in hidden fields: the type alone is chosen on the page."""

    year = YearField(widget=forms.HiddenInput)
    month = MonthField(widget=forms.HiddenInput)
    kind = _choice(_("Type"), ActivityKind.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["data-autosubmit"] = ""
