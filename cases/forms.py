"""Forms of the cases app: they parse and validate input; services do the writing."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from rescue_station.forms import VersionedFormMixin, model_form_field
from rescue_station.models import Station
from rescue_station.pickers import use_picker
from rescue_station.query import DB_INT_MAX, BoundedChoicesMixin, SearchField
from rescue_station.uploads import PhotoValidator
from rescue_station.validators import normalise_id_number, validate_id_number

from . import statistics
from .models import (
    BelongingsItem,
    CareInstitution,
    ExitType,
    GatheringArea,
    Gender,
    HealthStatus,
    Inspection,
    LongStay,
    MedicalReferral,
    Person,
    SafetyCheck,
    SafetyIncident,
    Satisfaction,
    Source,
    Stay,
    StayExtension,
    StreetPatrol,
    Ticket,
    TicketChannel,
    TracingEffort,
    Transport,
)
from .pickers import institution_label, person_label


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _now_local() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class IdNumberField(forms.CharField):
    """An ID number: spaces removed, x upper-cased, GB 11643 check digit validated."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("ID number"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = normalise_id_number(super().clean(value) or "")
        if value:
            validate_id_number(value)
        return value


class PersonFields(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        required=False,
        help_text=_(
            "For an unidentified person, a placeholder name (e.g. 火车站男子) may be given."
        ),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    estimated_age = model_form_field(Person, "estimated_age", label=_("Estimated age"))
    id_number = IdNumberField()
    hometown = forms.CharField(label=_("Hometown"), max_length=100, required=False)
    dialect = forms.CharField(label=_("Dialect"), max_length=50, required=False)
    description = forms.CharField(
        label=_("Physical description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        validators=[PhotoValidator()],
        help_text=lazy(
            lambda: _("JPEG, PNG or WebP, at most %(mb)s MB.") % {"mb": settings.PHOTO_MAX_MB}, str
        )(),
    )

    def person_data(self) -> dict[str, Any]:
        keys = (
            "name",
            "gender",
            "birth_date",
            "estimated_age",
            "id_number",
            "hometown",
            "dialect",
            "description",
        )
        return {k: self.cleaned_data.get(k) for k in keys if k in self.cleaned_data}


class IntakeForm(PersonFields):
    """求助登记: a known or an unidentified person."""

    identified = forms.TypedChoiceField(
        label=_("Identity"),
        choices=[("1", _("Known")), ("0", _("Unknown (placeholder number)"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    admitted_at = forms.DateTimeField(label=_("Admitted at"), widget=DateTimeInput())
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    brought_by = forms.CharField(label=_("Brought by"), max_length=100, required=False)
    reason = forms.CharField(
        label=_("Reason for seeking help"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unable_to_communicate = forms.BooleanField(label=_("Unable to communicate"), required=False)
    safety_checked = forms.BooleanField(label=_("Safety check done"), required=False)
    temperature = model_form_field(Stay, "temperature", label=_("Temperature (°C)"))
    # No status is preselected: "good" must be what the clerk saw, not what the form offered.
    health_status = forms.ChoiceField(
        label=_("Health status"),
        choices=[("", _("— choose —")), *HealthStatus.choices],
        error_messages={"required": _("Choose the health status seen at the door.")},
    )
    health_note = forms.CharField(label=_("Health note"), max_length=200, required=False)
    # Set by the page's script when the clerk says "this is the same person" of a suggestion
    # (cases/static/cases/returning.js); empty: a new person, unless the ID number is known.
    returning_person = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=DB_INT_MAX
    )

    field_order = [
        "identified",
        "name",
        "gender",
        "birth_date",
        "estimated_age",
        "id_number",
        "hometown",
        "dialect",
        "description",
        "photo",
        "admitted_at",
        "source",
        "brought_by",
        "reason",
        "unable_to_communicate",
        "safety_checked",
        "temperature",
        "health_status",
        "health_note",
    ]

    def __init__(
        self, *args: Any, choosable: QuerySet[Person] | None = None, **kwargs: Any
    ) -> None:
        """``choosable``: the persons the clerk may say the one at the door is
        (``selectors.returning_choosable``); none without it."""
        super().__init__(*args, **kwargs)
        self.fields["admitted_at"].initial = _now_local
        self.choosable = choosable if choosable is not None else Person.objects.none()

    def clean_returning_person(self) -> Person | None:
        pk = self.cleaned_data.get("returning_person")
        if not pk:
            return None
        person = self.choosable.filter(pk=pk).first()
        if person is None:
            raise ValidationError(
                _("The person chosen as the same is not one of this station's."), code="invalid"
            )
        return person

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Hidden: its error is shown at the top of the form.
        if "returning_person" in self.errors:
            for error in self.errors.pop("returning_person"):
                self.add_error(None, error)
        if not data.get("identified"):
            data["returning_person"] = None  # an unidentified person is a new person
        return data


class ReturningQueryForm(forms.Form):
    """What the clerk has typed so far, sent by the intake page to find an earlier person."""

    name = SearchField(max_length=60)
    id_number = forms.CharField(max_length=20, required=False)
    birth_date = forms.DateField(required=False)
    hometown = SearchField(max_length=100)

    def clean_id_number(self) -> str:
        return normalise_id_number(self.cleaned_data.get("id_number") or "")


class IdentityForm(VersionedFormMixin, PersonFields):
    """Fill in or correct the identity of the person (``version_of=`` the person)."""

    identified = forms.BooleanField(label=_("Identity known"), required=False)


class ChecksForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Stay
        fields = ["safety_checked", "temperature", "health_status", "health_note"]


class CareForm(VersionedFormMixin, forms.Form):
    """The care given in a stay (``version_of=`` the stay)."""

    food = forms.BooleanField(label=_("Meals provided"), required=False)
    lodging = forms.BooleanField(label=_("Lodging provided"), required=False)
    clothing = forms.BooleanField(label=_("Clothing provided"), required=False)


class BelongingsForm(forms.ModelForm):
    class Meta:
        model = BelongingsItem
        fields = ["description", "quantity", "cash_amount"]


class SettleForm(VersionedFormMixin, forms.Form):
    """Return a belongings item, or say why not (``version_of=`` the item)."""

    returned = forms.BooleanField(label=_("Returned to the owner"), required=False)
    reason = forms.CharField(label=_("Reason not returned"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("returned") and not (data.get("reason") or "").strip():
            raise ValidationError(_("Give the reason the item is not returned."))
        return data


class ReferralForm(forms.ModelForm):
    class Meta:
        model = MedicalReferral
        fields = ["hospital", "referred_on", "diagnosis", "outcome"]
        widgets = {"referred_on": DateInput()}


class TracingForm(forms.ModelForm):
    class Meta:
        model = TracingEffort
        fields = ["method", "done_on", "result", "family_found", "note"]
        widgets = {"done_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}


class ExtensionForm(forms.ModelForm):
    class Meta:
        model = StayExtension
        fields = ["days", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}


class RefusalForm(VersionedFormMixin, forms.Form):
    """不予救助: when and why the request ends without help (``version_of=`` the stay)."""

    refused_at = forms.DateTimeField(label=_("Decided at"), widget=DateTimeInput())
    reason = forms.CharField(
        label=_("Reason help is refused"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: refuses to give true information about themselves."),
        error_messages={"required": _("Give the reason help is refused.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["refused_at"].initial = _now_local


class DepartureForm(VersionedFormMixin, forms.Form):
    """离站: type, time, satisfaction answer, belongings; the trip for an escorted departure."""

    left_at = forms.DateTimeField(label=_("Left at"), widget=DateTimeInput())
    # Help refused (不予救助) has its own form on the stay page, with the reason.
    # Nothing is preselected: the satisfaction answer feeds the self-evaluation, and a clerk who
    # did not ask must not record "satisfied" by leaving the form as it came.
    exit_type = forms.ChoiceField(
        label=_("Departure type"),
        choices=[
            ("", _("— choose —")),
            *(c for c in ExitType.choices if c[0] != ExitType.HELP_REFUSED),
        ],
        error_messages={"required": _("Choose how the person leaves.")},
    )
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction answer"),
        choices=[("", _("— choose —")), *Satisfaction.choices],
        help_text=_("Ask the person. If they do not answer, choose “No answer”."),
        error_messages={"required": _("Ask the person and record the answer, or “No answer”.")},
    )
    return_items = forms.MultipleChoiceField(
        label=_("Belongings returned now"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-check-group": "return-items"}),
        help_text=_("Tick each item handed back to the person."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    trip_date = forms.DateField(label=_("Trip date"), required=False, widget=DateInput())
    escorts = forms.CharField(label=_("Escorts"), max_length=200, required=False)
    destination = forms.CharField(label=_("Destination"), max_length=200, required=False)
    transport = forms.ChoiceField(
        label=_("Transport"), choices=[("", "—"), *Transport.choices], required=False
    )
    cost = forms.DecimalField(
        label=_("Cost (yuan)"), required=False, max_digits=14, decimal_places=2
    )
    handed_over_to = forms.CharField(label=_("Handed over to"), max_length=200, required=False)
    handover_signed = forms.BooleanField(label=_("Handover signed"), required=False)

    ESCORT_FIELDS = ("trip_date", "escorts", "destination", "transport", "cost")

    def __init__(self, *args: Any, stay: Stay, **kwargs: Any) -> None:
        super().__init__(*args, version_of=stay, **kwargs)
        self.stay = stay
        self.fields["left_at"].initial = _now_local
        held = stay.belongings.filter(returned=False, not_returned_reason="")
        self.fields["return_items"].choices = [(str(item.pk), str(item)) for item in held]
        if not held:
            del self.fields["return_items"]

    def clean_left_at(self) -> datetime:
        value = self.cleaned_data["left_at"]
        if value < self.stay.admitted_at:
            raise ValidationError(_("The departure cannot be before the admission."))
        return value

    def clean_cost(self) -> Any:
        cost = self.cleaned_data.get("cost")
        if cost is not None and cost < 0:
            raise ValidationError(_("The cost cannot be negative."))
        return cost

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("exit_type") == ExitType.ESCORTED_HOME:
            for name in self.ESCORT_FIELDS:
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Required for an escorted departure."))
        return data


class EscortForm(forms.Form):
    """Correct the trip of an escorted departure."""

    trip_date = forms.DateField(label=_("Trip date"), widget=DateInput())
    escorts = forms.CharField(label=_("Escorts"), max_length=200)
    destination = forms.CharField(label=_("Destination"), max_length=200)
    transport = forms.ChoiceField(label=_("Transport"), choices=Transport.choices)
    cost = forms.DecimalField(label=_("Cost (yuan)"), max_digits=14, decimal_places=2, min_value=0)
    handed_over_to = forms.CharField(label=_("Handed over to"), max_length=200, required=False)
    handover_signed = forms.BooleanField(label=_("Handover signed"), required=False)


class StationRecordForm(VersionedFormMixin, forms.ModelForm):
    """A ModelForm of a record that belongs to the station the user works in (an edit of a
    versioned record carries its version)."""

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.station = station
        self.instance.station = station
        for field in self.fields.values():
            qs = getattr(field, "queryset", None)
            if qs is not None and hasattr(qs, "for_station"):
                field.queryset = qs.for_station(station)


class PatrolForm(BoundedChoicesMixin, StationRecordForm):
    class Meta:
        model = StreetPatrol
        fields = [
            "patrol_date",
            "area",
            "campaign",
            "areas_covered",
            "persons_met",
            "helped_in_place",
            "brought_in",
            "note",
        ]
        widgets = {
            "patrol_date": DateInput(),
            "areas_covered": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas_covered"].queryset = GatheringArea.objects.for_station(
            self.station
        ).filter(active=True)


class AreaForm(StationRecordForm):
    class Meta:
        model = GatheringArea
        fields = ["name", "active"]


class TicketForm(StationRecordForm):
    class Meta:
        model = Ticket
        fields = [
            "channel",
            "number",
            "received_at",
            "deadline",
            "summary",
            "handled_at",
            "outcome",
        ]
        widgets = {
            "received_at": DateTimeInput(),
            "deadline": DateTimeInput(),
            "handled_at": DateTimeInput(),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A call is logged as it comes in: the time it was received is now unless changed.
            self.fields["received_at"].initial = _now_local


class SafetyCheckForm(StationRecordForm):
    class Meta:
        model = SafetyCheck
        fields = ["checked_on", "item", "hazard_found", "hazard", "fixed_on", "checked_by"]
        widgets = {"checked_on": DateInput(), "fixed_on": DateInput()}


class IncidentForm(StationRecordForm):
    class Meta:
        model = SafetyIncident
        fields = ["occurred_on", "kind", "description", "measures"]
        widgets = {
            "occurred_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
            "measures": forms.Textarea(attrs={"rows": 2}),
        }


class LongStayForm(BoundedChoicesMixin, StationRecordForm):
    class Meta:
        model = LongStay
        fields = [
            "person",
            "hukou_registered_on",
            "special_hardship_enrolled_on",
            "institution",
            "placed_on",
            "ended_on",
            "note",
        ]
        widgets = {
            "hukou_registered_on": DateInput(),
            "special_hardship_enrolled_on": DateInput(),
            "placed_on": DateInput(),
            "ended_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Thousands of persons: searched as one types, never all in the page.
        use_picker(self.fields["person"], "cases:pick_persons", person_label)
        use_picker(self.fields["institution"], "cases:pick_institutions", institution_label)


class InstitutionForm(StationRecordForm):
    class Meta:
        model = CareInstitution
        fields = ["name", "address", "contract_no"]


class InspectionForm(BoundedChoicesMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["institution", "inspected_on", "kind", "inspectors", "findings"]
        widgets = {"inspected_on": DateInput(), "findings": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = CareInstitution.objects.for_station(station)
        use_picker(self.fields["institution"], "cases:pick_institutions", institution_label)


class StayFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    start = forms.DateField(label=_("Admitted from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Admitted to"), required=False, widget=DateInput())
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("All")), *Source.choices], required=False
    )
    exit_type = forms.ChoiceField(
        label=_("Departure type"), choices=[("", _("All")), *ExitType.choices], required=False
    )
    present = forms.ChoiceField(
        label=_("In the station"),
        choices=[("", _("All")), ("yes", _("Present")), ("no", _("Departed"))],
        required=False,
    )
    # The stays behind a figure of the dashboards: its intakes (救助人次) or its person-days
    # (人天次), both without the requests that ended in help refused.
    counted = forms.ChoiceField(
        label=_("Counted in"),
        choices=[
            ("", _("All")),
            ("intakes", _("Intakes (admitted in the period)")),
            ("stayed", _("Person-days (in the station during the period)")),
        ],
        required=False,
    )
    # The stays behind a row of the station's statistics (cases.statistics), e.g. by_age:60_plus.
    row = forms.ChoiceField(label=_("Statistics row"), choices=(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["row"].choices = [("", _("All")), *statistics.row_choices()]


class PeriodFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())


class TicketFilterForm(PeriodFilterForm):
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All channels")), *TicketChannel.choices],
    )
    overdue = forms.BooleanField(label=_("Past the deadline only"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Intake ledger (.xlsx)"))


def day_start(value: Any) -> datetime:
    return datetime.combine(value, time(0), tzinfo=timezone.get_current_timezone())
