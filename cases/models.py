"""Records of the station's daily work: persons, their stays, and what happens in a stay."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rescue_station.models import Station
from rescue_station.scoping import StationScopedQuerySet
from rescue_station.validators import validate_id_number


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNKNOWN = "unknown", _("Unknown")


class Person(models.Model):
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
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=18, blank=True, validators=[validate_id_number]
    )
    hometown = models.CharField(_("hometown"), max_length=100, blank=True)
    dialect = models.CharField(_("dialect"), max_length=50, blank=True)
    description = models.TextField(_("physical description"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="persons/%Y/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [models.Index(fields=["station", "id_number"])]

    def __str__(self) -> str:
        return self.name or self.placeholder_no or f"#{self.pk}"


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


class StayQuerySet(StationScopedQuerySet):
    def present(self) -> StayQuerySet:
        """Stays of persons who are in the station now (not yet departed)."""
        return self.filter(left_at__isnull=True)


class Stay(models.Model):
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
    brought_by = models.CharField(_("brought by"), max_length=100, blank=True)
    reason = models.TextField(_("reason for seeking help"), blank=True)
    is_minor = models.BooleanField(_("minor at admission"), default=False, editable=False)
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = StayQuerySet.as_manager()

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["-admitted_at"]
        indexes = [models.Index(fields=["station", "admitted_on"], name="stay_station_admitted")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_at__isnull=True)
                | models.Q(left_at__gte=models.F("admitted_at")),
                name="stay_leaves_after_admission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.admitted_on:%Y-%m-%d}"
