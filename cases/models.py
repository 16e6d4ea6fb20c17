"""Records of the station's daily work: persons, their stays, and what happens in a stay."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rescue_station.models import Plausible, Station, Versioned
from rescue_station.plausible import DateKind, check_identity
from rescue_station.scoping import StationScopedQuerySet
from rescue_station.uploads import PhotoValidator
from rescue_station.validators import validate_id_number

from .names import NAME_PINYIN_MAX_LENGTH, name_pinyin


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNKNOWN = "unknown", _("Unknown")


class PersonQuerySet(StationScopedQuerySet):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Person]:
        """As Django's, with each person's ``name_pinyin`` filled in (as ``save`` fills it)."""
        objs = list(objs)
        for person in objs:
            person.name_pinyin = name_pinyin(person.name)
        return super().bulk_create(objs, *args, **kwargs)


class Person(Versioned):
    """Someone the station has taken in. Identity may be unknown and filled in later."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="persons", verbose_name=_("station")
    )
    name = models.CharField(_("name"), max_length=60, blank=True)
    placeholder_no = models.CharField(
        _("placeholder number"),
        max_length=30,
        blank=True,
        help_text=_("Given to a person whose identity is unknown, e.g. 无名氏-2024-0001."),
    )
    identified = models.BooleanField(_("identity known"), default=True)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    id_number = models.CharField(
        _("ID number"), max_length=18, blank=True, validators=[validate_id_number]
    )
    hometown = models.CharField(_("hometown"), max_length=100, blank=True)
    dialect = models.CharField(_("dialect"), max_length=50, blank=True)
    description = models.TextField(_("physical description"), blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="persons/%Y/", blank=True, validators=[PhotoValidator()]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The name's pinyin (cases.names.name_pinyin), kept by save() and by the bulk import: the
    # intake finds a returning person typed with a sound-alike name by it.
    name_pinyin = models.CharField(
        _("name in pinyin"), max_length=NAME_PINYIN_MAX_LENGTH, blank=True, editable=False
    )
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["station", "id_number"]),
            models.Index(fields=["station", "name_pinyin"], name="cases_person_pinyin_idx"),
        ]
        constraints = [
            # Given by cases.services.placeholder_next; the database refuses a number twice.
            models.UniqueConstraint(
                fields=["station", "placeholder_no"],
                condition=~models.Q(placeholder_no=""),
                name="unique_placeholder_per_station",
                violation_error_message=_(
                    "This placeholder number is already given to another person of the station."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.placeholder_no or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_pinyin = name_pinyin(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.identified and not self.name.strip():
            raise ValidationError(
                {"name": _("Give the name, or register the person as unidentified.")}
            )
        check_identity(self)


class PlaceholderCounter(Plausible):
    """The last placeholder number given in a station's year. ``placeholder_next`` locks the
    row until the intake's transaction ends, so that two intakes at once never get one number."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("placeholder counter")
        verbose_name_plural = _("placeholder counters")
        constraints = [
            models.UniqueConstraint(fields=["station", "year"], name="unique_placeholder_counter")
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.year}: {self.last}"


class Source(models.TextChoices):
    SELF = "self", _("Came by themselves")
    POLICE = "police", _("Brought by police")
    URBAN_MANAGEMENT = "urban_management", _("Brought by urban management")
    CITIZEN = "citizen", _("Brought by a citizen")
    STREET_PATROL = "street_patrol", _("Street patrol")
    OTHER_STATION = "other_station", _("Handed over by another station")
    HOSPITAL = "hospital", _("Hospital")
    OTHER = "other", _("Other")


class ExitType(models.TextChoices):
    FAMILY_PICKUP = "family_pickup", _("Picked up by family")
    ESCORTED_HOME = "escorted_home", _("Escorted home")
    LEFT_BY_CHOICE = "left_by_choice", _("Left by choice")
    TRANSFERRED = "transferred", _("Transferred")
    PLACED_IN_CARE = "placed_in_care", _("Placed in a care institution")
    HANDED_TO_POLICE = "handed_to_police", _("Handed to police")
    DIED = "died", _("Died")
    # 不予救助: the request ended without help (workflow.md step 2), e.g. refusal to give true
    # information. Not an intake: the metrics leave these stays out.
    HELP_REFUSED = "help_refused", _("Help refused")


class HealthStatus(models.TextChoices):
    GOOD = "good", _("Good")
    ILL = "ill", _("Ill")
    INJURED = "injured", _("Injured")
    MENTAL_ILLNESS = "mental_illness", _("Mental illness (suspected)")
    DISABILITY = "disability", _("Disability")


# From this temperature on a person has a fever: "good" health then needs a note saying why.
FEVER = Decimal("37.3")

# Health statuses that need a designated hospital: the denominator of cases.sick_treated_rate.
NEEDS_TREATMENT = (HealthStatus.ILL, HealthStatus.INJURED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    NEUTRAL = "neutral", _("Neither satisfied nor dissatisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    NO_ANSWER = "no_answer", _("No answer")


class StayQuerySet(StationScopedQuerySet):
    def present(self) -> StayQuerySet:
        """Stays of persons who are in the station now (not yet departed)."""
        return self.filter(left_at__isnull=True)


class Stay(Versioned):
    """One intake episode: from the person's admission to their departure.

    ``admitted_on`` and ``left_on`` are the local (Asia/Shanghai) dates of ``admitted_at`` and
    ``left_at``: the services set them, and period metrics such as person-days count them.
    """

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="stays", verbose_name=_("station")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="stays", verbose_name=_("person")
    )
    admitted_at = models.DateTimeField(_("admitted at"))
    admitted_on = models.DateField(_("admission date"), editable=False)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # The name the person gave at this intake, as typed: the person's record keeps its own name
    # (a returning person found by the ID number or chosen at the door is never renamed by it).
    name_at_intake = models.CharField(
        _("name given at intake"), max_length=60, blank=True, editable=False
    )
    brought_by = models.CharField(_("brought by"), max_length=100, blank=True)
    reason = models.TextField(_("reason for seeking help"), blank=True)
    is_minor = models.BooleanField(_("minor at admission"), default=False, editable=False)
    unable_to_communicate = models.BooleanField(_("unable to communicate"), default=False)
    # Unknown identity or unable to communicate at intake: tracing must be on record
    # (cases.tracing_coverage_rate). Kept as it was at intake even once identity is found.
    is_special = models.BooleanField(_("special person"), default=False, editable=False)
    safety_checked = models.BooleanField(_("safety check done"), default=False)
    safety_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("safety check by"),
    )
    temperature = models.DecimalField(
        _("temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("30.0")), MaxValueValidator(Decimal("45.0"))],
    )
    health_status = models.CharField(
        _("health status"), max_length=20, choices=HealthStatus.choices, default=HealthStatus.GOOD
    )
    health_note = models.CharField(_("health note"), max_length=200, blank=True)
    care_food = models.BooleanField(_("meals provided"), default=False)
    care_lodging = models.BooleanField(_("lodging provided"), default=False)
    care_clothing = models.BooleanField(_("clothing provided"), default=False)
    satisfaction = models.CharField(
        _("satisfaction at departure"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    departure_note = models.TextField(_("departure note"), blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    left_on = models.DateField(_("departure date"), null=True, blank=True, editable=False)
    exit_type = models.CharField(
        _("departure type"), max_length=20, choices=ExitType.choices, blank=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    # The help-refused outcome (exit type HELP_REFUSED): why, and who decided; when is left_at.
    refusal_reason = models.TextField(_("reason help is refused"), blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("help refused by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = StayQuerySet.as_manager()

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["-admitted_at"]
        indexes = [
            models.Index(fields=["station", "admitted_on"], name="stay_station_admitted"),
            # The stay list's default order (selectors.stays_filtered): its first page is the
            # index's first 25 entries, however many years the station keeps.
            models.Index(fields=["station", "-admitted_at", "-id"], name="stay_station_list_order"),
            # The board: the persons in the station now, longest stay first.
            models.Index(
                fields=["station", "admitted_at"],
                condition=models.Q(left_at__isnull=True),
                name="stay_station_present",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_at__isnull=True)
                | models.Q(left_at__gte=models.F("admitted_at")),
                name="stay_leaves_after_admission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.admitted_on:%Y-%m-%d}"

    def clean(self) -> None:
        errors = {}
        if self.exit_type == ExitType.HELP_REFUSED and not self.refusal_reason.strip():
            errors["refusal_reason"] = _("Give the reason help is refused.")
        if self.left_at and self.admitted_at and self.left_at < self.admitted_at:
            errors["left_at"] = _("The departure cannot be before the admission.")
        if self.left_at and not self.exit_type:
            errors["exit_type"] = _("Give the departure type.")
        if (
            self.temperature is not None
            and self.temperature >= FEVER
            and self.health_status == HealthStatus.GOOD
            and not self.health_note.strip()
        ):
            errors["health_note"] = _(
                "A temperature of %(fever)s °C or more with the health status “good”: say why "
                "in the health note, or choose another status."
            ) % {"fever": FEVER}
        if errors:
            raise ValidationError(errors)

    @property
    def is_present(self) -> bool:
        return self.left_at is None

    @property
    def needs_treatment(self) -> bool:
        return self.health_status in NEEDS_TREATMENT

    @property
    def basic_care_recorded(self) -> bool:
        return self.care_food and self.care_lodging and self.care_clothing

    def nights(self, today: date) -> int:
        """Nights in the station so far (or in all): the departure date (or today) minus admission."""
        return ((self.left_on or today) - self.admitted_on).days

    @property
    def days_stayed(self) -> int:
        """Nights so far (or in all, once departed), for lists."""
        from rescue_station import selectors

        return self.nights(selectors.local_today())

    def approved_extension_days(self) -> int:
        return sum(e.days for e in self.extensions.all() if e.status == ExtensionStatus.APPROVED)

    def is_over_limit(self, today: date) -> bool:
        """Longer than the station's limit plus the extensions a supervisor approved."""
        allowed = self.station.stay_limit_days + self.approved_extension_days()
        return self.nights(today) > allowed


class StayPart(Plausible):
    """A record that belongs to a station through its stay."""

    station_path = "stay__station"

    class Meta:
        abstract = True


class BelongingsItem(Versioned, StayPart):
    """Valuables and cash listed at intake, stored, and returned (or not, with a reason) at departure."""

    stay = models.ForeignKey(
        Stay, on_delete=models.CASCADE, related_name="belongings", verbose_name=_("stay")
    )
    description = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    cash_amount = models.DecimalField(
        _("cash (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    returned = models.BooleanField(_("returned"), default=False)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    not_returned_reason = models.CharField(_("reason not returned"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("belongings item")
        verbose_name_plural = _("belongings")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.description} ×{self.quantity}"


class MedicalReferral(StayPart):
    """A referral to a designated hospital (定点医疗机构)."""

    stay = models.ForeignKey(
        Stay, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("stay")
    )
    hospital = models.CharField(_("designated hospital"), max_length=100)
    referred_on = models.DateField(_("referral date"))
    diagnosis = models.CharField(_("diagnosis"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("medical referral")
        verbose_name_plural = _("medical referrals")
        ordering = ["referred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.hospital} {self.referred_on}"


class TracingMethod(models.TextChoices):
    DNA = "dna", _("Police DNA sampling")
    FACE = "face", _("Face recognition")
    WEBSITE = "website", _("National tracing website")
    NEWS = "news", _("News platform")
    POLICE = "police", _("Police identity check")
    DIALECT = "dialect", _("Dialect clues")


class TracingResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    NO_MATCH = "no_match", _("No match")
    SUCCESS = "success", _("Family found")


class TracingEffort(StayPart):
    """One tracing effort (寻亲) and its result; a success names the family found."""

    stay = models.ForeignKey(
        Stay, on_delete=models.CASCADE, related_name="tracing_efforts", verbose_name=_("stay")
    )
    method = models.CharField(_("method"), max_length=20, choices=TracingMethod.choices)
    done_on = models.DateField(_("date"))
    result = models.CharField(
        _("result"), max_length=20, choices=TracingResult.choices, default=TracingResult.PENDING
    )
    family_found = models.CharField(_("family found"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tracing effort")
        verbose_name_plural = _("tracing efforts")
        ordering = ["done_on", "pk"]
        indexes = [models.Index(fields=["result", "done_on"], name="tracing_result_done")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.done_on}"

    def clean(self) -> None:
        if self.result == TracingResult.SUCCESS and not self.family_found.strip():
            raise ValidationError(
                {"family_found": _("A successful tracing names the family found.")}
            )


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class StayExtension(Versioned, StayPart):
    """A stay beyond the station's limit: requested by staff, decided by the station head."""

    stay = models.ForeignKey(
        Stay, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("stay")
    )
    days = models.PositiveSmallIntegerField(
        _("extra days"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stay extension")
        verbose_name_plural = _("stay extensions")
        ordering = ["requested_at", "pk"]
        permissions = [("approve_extension", _("Can approve a stay extension"))]

    def __str__(self) -> str:
        return f"+{self.days} ({self.get_status_display()})"


class Transport(models.TextChoices):
    TRAIN = "train", _("Train")
    BUS = "bus", _("Coach")
    CAR = "car", _("Station vehicle")
    PLANE = "plane", _("Plane")
    OTHER = "other", _("Other")


class Escort(StayPart):
    """The trip home of a person escorted home (护送返乡)."""

    stay = models.OneToOneField(
        Stay, on_delete=models.CASCADE, related_name="escort", verbose_name=_("stay")
    )
    trip_date = models.DateField(_("trip date"))
    escorts = models.CharField(_("escorts"), max_length=200)
    destination = models.CharField(_("destination"), max_length=200)
    transport = models.CharField(_("transport"), max_length=20, choices=Transport.choices)
    cost = models.DecimalField(
        _("cost (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), message=_("The cost cannot be negative."))],
    )
    handed_over_to = models.CharField(_("handed over to"), max_length=200, blank=True)
    handover_signed = models.BooleanField(_("handover signed by the receiving side"), default=False)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("escort")
        verbose_name_plural = _("escorts")
        constraints = [
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="escort_cost_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.destination} {self.trip_date}"


class CareInstitution(Plausible):
    """A contracted care institution (托养机构) where long-stay persons are placed."""

    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        related_name="care_institutions",
        verbose_name=_("station"),
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contract_no = models.CharField(_("contract number"), max_length=50, blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("care institution")
        verbose_name_plural = _("care institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LongStay(Versioned):
    """Handling of a person still unidentified after the station's long-stay months (滞留)."""

    # A placement may be agreed until a date ahead.
    date_kinds = {"ended_on": DateKind.PERIOD}

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="long_stays", verbose_name=_("station")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="long_stays", verbose_name=_("person")
    )
    hukou_registered_on = models.DateField(_("hukou registration date"), null=True, blank=True)
    special_hardship_enrolled_on = models.DateField(
        _("special-hardship enrolment date"), null=True, blank=True
    )
    institution = models.ForeignKey(
        CareInstitution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("care institution"),
    )
    placed_on = models.DateField(_("placement date"), null=True, blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("long stay")
        verbose_name_plural = _("long stays")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return str(self.person)

    def clean(self) -> None:
        if self.placed_on and not self.institution_id:
            raise ValidationError({"institution": _("A placement names the care institution.")})


class InspectionKind(models.TextChoices):
    UNANNOUNCED = "unannounced", _("Unannounced (四不两直)")
    HOLIDAY = "holiday", _("Holiday visit")
    ROUTINE = "routine", _("Routine")


class Inspection(Plausible):
    """An inspection of a care institution."""

    station_path = "institution__station"

    institution = models.ForeignKey(
        CareInstitution,
        on_delete=models.CASCADE,
        related_name="inspections",
        verbose_name=_("care institution"),
    )
    inspected_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    inspectors = models.CharField(_("inspectors"), max_length=200)
    findings = models.TextField(_("findings"), blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.institution} {self.inspected_on}"


class GatheringArea(Versioned):
    """A place where homeless people gather that the station's patrols must cover."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="gathering_areas", verbose_name=_("station")
    )
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("designated"), default=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("gathering area")
        verbose_name_plural = _("gathering areas")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["station", "name"], name="unique_gathering_area")
        ]

    def __str__(self) -> str:
        return self.name


class Campaign(models.TextChoices):
    WINTER = "winter", "寒冬送温暖"
    SUMMER = "summer", "夏季送清凉"
    ROUTINE = "routine", _("Routine patrol")


class StreetPatrol(Versioned):
    """A street patrol (街面巡查): who was met, helped in place, or brought in."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("station")
    )
    patrol_date = models.DateField(_("date"))
    area = models.CharField(_("area"), max_length=200)
    areas_covered = models.ManyToManyField(
        GatheringArea, blank=True, related_name="patrols", verbose_name=_("gathering areas covered")
    )
    campaign = models.CharField(
        _("campaign"), max_length=20, choices=Campaign.choices, default=Campaign.ROUTINE
    )
    persons_met = models.PositiveIntegerField(_("persons met"), default=0)
    helped_in_place = models.PositiveIntegerField(_("helped in place"), default=0)
    brought_in = models.PositiveIntegerField(_("brought in"), default=0)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(m2m_fields=[areas_covered])

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("street patrol")
        verbose_name_plural = _("street patrols")
        ordering = ["-patrol_date", "-pk"]
        indexes = [models.Index(fields=["station", "patrol_date"], name="patrol_station_date")]

    def __str__(self) -> str:
        return f"{self.patrol_date} {self.area}"

    def clean(self) -> None:
        if self.helped_in_place + self.brought_in > self.persons_met:
            raise ValidationError(
                _("Persons helped in place and brought in cannot exceed the persons met.")
            )


class TicketChannel(models.TextChoices):
    HOTLINE = "hotline", _("Mayor's hotline (12345)")
    PLATFORM = "platform", _("Urban-management digital platform")


class TicketQuerySet(StationScopedQuerySet):
    def overdue(self, now: datetime) -> TicketQuerySet:
        """Tickets not handled whose deadline has passed (已超期): the one definition, read by
        the dashboards' inboxes, the list's filter and its badge."""
        return self.filter(handled_at__isnull=True, deadline__lt=now)

    def with_overdue(self, now: datetime) -> TicketQuerySet:
        """Each ticket with ``is_overdue``, as ``overdue`` decides it."""
        return self.annotate(
            is_overdue=models.ExpressionWrapper(
                models.Q(handled_at__isnull=True, deadline__lt=now),
                output_field=models.BooleanField(),
            )
        )


class Ticket(Versioned):
    """A call from the mayor's hotline or a dispatch of the urban-management platform."""

    date_kinds = {"deadline": DateKind.PLANNED}

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("station")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=TicketChannel.choices)
    number = models.CharField(_("ticket number"), max_length=40, blank=True)
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("received on"), editable=False)
    deadline = models.DateTimeField(_("deadline"))
    summary = models.TextField(_("summary"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    history = HistoricalRecords()

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["station", "received_on"], name="ticket_station_received")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.number or self.pk}"

    def clean(self) -> None:
        errors = {}
        if self.received_at and self.deadline and self.deadline < self.received_at:
            errors["deadline"] = _("The deadline cannot be before the ticket was received.")
        if self.received_at and self.handled_at and self.handled_at < self.received_at:
            errors["handled_at"] = _("A ticket cannot be handled before it was received.")
        if self.handled_at and not self.outcome.strip():
            errors["outcome"] = _("Say how the ticket was handled.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_timely(self) -> bool | None:
        if self.handled_at is None:
            return None
        return self.handled_at <= self.deadline


class SafetyItem(models.TextChoices):
    WATER = "water", _("Water")
    POWER = "power", _("Electricity")
    GAS = "gas", _("Gas")
    FIRE = "fire", _("Fire extinguishers and exits")
    VEHICLES = "vehicles", _("Vehicles")
    FOOD = "food", _("Food samples")
    OTHER = "other", _("Other")


class SafetyCheck(Versioned):
    """A safety hazard check: the item checked, whether a hazard was found, when it was fixed."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="safety_checks", verbose_name=_("station")
    )
    checked_on = models.DateField(_("date"))
    item = models.CharField(_("item"), max_length=20, choices=SafetyItem.choices)
    hazard_found = models.BooleanField(_("hazard found"), default=False)
    hazard = models.CharField(_("hazard"), max_length=200, blank=True)
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    checked_by = models.CharField(_("checked by"), max_length=100, blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety check")
        verbose_name_plural = _("safety checks")
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.checked_on}"

    def clean(self) -> None:
        errors = {}
        if self.hazard_found and not self.hazard.strip():
            errors["hazard"] = _("Describe the hazard found.")
        if self.fixed_on and not self.hazard_found:
            errors["fixed_on"] = _("Only a hazard found can be fixed.")
        if self.fixed_on and self.checked_on and self.fixed_on < self.checked_on:
            errors["fixed_on"] = _("A hazard cannot be fixed before it was found.")
        if errors:
            raise ValidationError(errors)


class SafetyIncident(Versioned):
    """A safety incident (fire, injury, escape, food poisoning, …)."""

    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        related_name="safety_incidents",
        verbose_name=_("station"),
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=100)
    description = models.TextField(_("description"))
    measures = models.TextField(_("measures taken"), blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety incident")
        verbose_name_plural = _("safety incidents")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"


class TracingPolicy(Plausible):
    """A station's tracing time limits (workflow.md, tracing: all configurable per station)."""

    station = models.OneToOneField(
        Station, on_delete=models.CASCADE, related_name="tracing_policy", verbose_name=_("station")
    )
    notice_hours = models.PositiveSmallIntegerField(
        _("tracing notice within (hours)"),
        default=24,
        help_text=_("A tracing notice is published this many hours after an unidentified intake."),
    )
    dna_working_days = models.PositiveSmallIntegerField(
        _("police DNA sampling within (working days)"), default=7
    )
    renewal_days = models.PositiveSmallIntegerField(
        _("notice renewed every (days)"),
        default=90,
        help_text=_("Long-stay persons' tracing notices are renewed on this cycle."),
    )
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tracing policy")
        verbose_name_plural = _("tracing policies")

    def __str__(self) -> str:
        return str(self.station)
