"""The core of the system: users, stations and which stations a user works in."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .plausible import TEXT_MAX_LENGTH, DateKind, check_date, check_text
from .roles import Role
from .scoping import StationScopedQuerySet

region_code_validator = RegexValidator(
    r"^\d{6}$", _("The region code is the 6-digit administrative division code (GB/T 2260).")
)


class Plausible(models.Model):
    """A record whose dates and texts obey the rules of ``rescue_station.plausible``.

    Every model of the project derives from it (a system check says which does not), so that
    ``full_clean`` refuses, for every field it is asked to clean: a date outside the bounds of
    its kind (``date_kinds`` names the planned and period dates; the others happened), a
    control character in a text, a text above its length (``TEXT_MAX_LENGTH`` for a TextField
    without its own).
    """

    date_kinds: ClassVar[dict[str, DateKind]] = {}

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skip = set(exclude or ()) | set(errors)
        for name, attname, check in self._plausible_checks():
            if name in skip or attname in skip:
                continue
            value = getattr(self, attname)
            if not value:  # no date, no text: nothing to refuse (a date is never false)
                continue
            try:
                check(value)
            except ValidationError as error:
                errors.setdefault(name, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def _plausible_checks(cls) -> list[tuple[str, str, Callable[[Any], None]]]:
        """The rule of each field that has one (name, attname, check), made once per model:
        an import cleans thousands of records of it."""
        checks = cls.__dict__.get("_plausible_checks_made")
        if checks is None:
            checks = []
            for field in cls._meta.concrete_fields:
                check = cls._plausible_check(field)
                if check is not None:
                    checks.append((field.name, field.attname, check))
            cls._plausible_checks_made = checks
        return checks

    @classmethod
    def _plausible_check(cls, field: models.Field) -> Callable[[Any], None] | None:
        if isinstance(field, models.DateField):  # DateTimeField is one too
            derived = not field.editable or getattr(field, "auto_now_add", False)
            if derived:
                return None
            return partial(check_date, kind=cls.date_kinds.get(field.name, DateKind.HAPPENED))
        if isinstance(field, models.TextField):
            return partial(check_text, max_length=field.max_length or TEXT_MAX_LENGTH)
        if isinstance(field, models.CharField):
            return check_text
        return None

    def plausibility_problems(self) -> list[str]:
        """What the rules refuse in the record as saved (a record from before a rule), each
        message after the field's name; empty when the record is plausible."""
        # A copy: the rules may fill a field (a birth date from the ID number) that the page
        # must still show as saved. Relations are not looked up again.
        record = copy.copy(self)
        relations = [f.name for f in self._meta.concrete_fields if f.is_relation]
        try:
            record.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            return _problem_lines(self, error)
        return []


def _problem_lines(record: models.Model, error: ValidationError) -> list[str]:
    lines = []
    for name, messages in error.message_dict.items():
        try:
            label = str(record._meta.get_field(name).verbose_name)
        except Exception:  # NON_FIELD_ERRORS
            label = ""
        lines.extend(f"{label}: {m}" if label else str(m) for m in messages)
    return lines


class Versioned(Plausible):
    """A record that people edit through forms.

    ``version`` counts the record's saves. A form carries the version it was loaded from, and
    ``rescue_station.audit.save_audited`` saves only when the row still has that version (the
    compare-and-increment is one UPDATE), so that a stale form cannot overwrite a colleague's
    change. Existing rows start at 0; the historical rows keep the version of each save.
    """

    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    class Meta:
        abstract = True


class User(Plausible, AbstractUser):
    """A person who logs in. Each user has one role; its group carries the permissions."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    is_demo = models.BooleanField(
        _("demo user"),
        default=False,
        editable=False,
        help_text=_("Created by load_demo; only such users are ever changed by it."),
    )
    # Who was given which role, and when; password hashes and logins stay out of the history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""


class Station(Plausible):
    """A rescue management station (救助管理站). Every record of the system belongs to one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    region_code = models.CharField(
        _("region code"), max_length=6, validators=[region_code_validator]
    )
    region_name = models.CharField(_("region name"), max_length=50)
    parent_bureau = models.CharField(_("parent bureau"), max_length=100, blank=True)
    stay_limit_days = models.PositiveSmallIntegerField(
        _("stay limit (days)"),
        default=10,
        help_text=_("A stay longer than this needs an extension approved by the station head."),
    )
    long_stay_months = models.PositiveSmallIntegerField(
        _("long stay after (months)"),
        default=3,
        help_text=_("Persons still unidentified after this many months are handled as long stays."),
    )
    is_demo = models.BooleanField(
        _("demo station"),
        default=False,
        editable=False,
        help_text=_(
            "Created by load_demo; load_demo never touches a station that is not marked so."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        permissions = [
            ("view_dashboard", _("Can view dashboards")),
            # The station's statistics of its assistance work: figures, not persons' records.
            ("view_statistics", _("Can view the station's statistics")),
            # Granted per user by an administrator, never by a role (roles.RESERVED): it opens
            # every read page of the cases and minors apps, and every such read is logged.
            ("inspect_cases", _("Can inspect persons' records (cases and minors)")),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(Plausible):
    """The user works in (or, for a bureau supervisor, oversees) the station."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("station")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "station"], name="unique_membership"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.station}"


class AccessKind(models.TextChoices):
    RECORD = "record", _("Record")
    LIST = "list", _("List")
    EXPORT = "export", _("Export")


class AccessLog(Plausible):
    """One read of persons' records: a minor's record, a list or export that names minors, an
    export of persons' data, or any page of a case inspection. Who, when, what, which filter.

    Append-only (nothing edits a row), so it keeps no history of its own. Only the view
    permission exists; the role rules give it to station heads alone (roles.RESERVED).
    """

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station")
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    # A default rather than auto_now_add, so that the rows copied from the old minors log keep
    # the time they were written.
    accessed_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    kind = models.CharField(
        _("kind"), max_length=10, choices=AccessKind.choices, default=AccessKind.RECORD
    )
    # "app_label.model_name" of the record, or of the rows of a list ("" when not known).
    record_type = models.CharField(_("record type"), max_length=60, blank=True)
    record_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    record_label = models.CharField(_("record name"), max_length=120, blank=True)
    path = models.CharField(_("page"), max_length=200, blank=True)
    list_name = models.CharField(_("list"), max_length=80, blank=True)
    query = models.CharField(_("filter"), max_length=500, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        default_permissions = ("view",)
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-accessed_at", "-pk"]
        indexes = [
            models.Index(fields=["station", "record_type", "record_id"]),
            models.Index(fields=["station", "accessed_at"]),
        ]

    def __str__(self) -> str:
        what = self.record_label or self.list_name or self.record_type
        return f"{self.user} {self.get_kind_display()} {what} {self.accessed_at:%Y-%m-%d %H:%M}"
