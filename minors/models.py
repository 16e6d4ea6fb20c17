"""Records of the minor-protection centre (未成年人保护中心).

Two kinds of children: minors in the station (a ``MinorCase`` opened for a minor's stay) and the
children of the city's registry (``Child``: left-behind, in difficulty, de facto unsupported), with
their visits, follow-ups, guardianship assessments and interventions; and the centre's activities.
Every record belongs to one station, directly or through the case or child it hangs on.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cases.models import Gender, Stay
from rescue_station.models import Plausible, Station, Versioned
from rescue_station.plausible import DateKind, check_identity
from rescue_station.scoping import StationScopedQuerySet
from rescue_station.validators import validate_id_number

USER = settings.AUTH_USER_MODEL


class MinorsPolicy(Plausible):
    """The station's own time limits for minors' work (defaults are the national practice)."""

    station = models.OneToOneField(
        Station, on_delete=models.CASCADE, related_name="minors_policy", verbose_name=_("station")
    )
    report_deadline_hours = models.PositiveSmallIntegerField(
        _("mandatory report deadline (hours)"),
        default=24,
        help_text=_(
            "A disclosed harm without a mandatory report after this many hours is flagged."
        ),
    )
    visit_interval_high_days = models.PositiveSmallIntegerField(
        _("visit interval, high risk (days)"), default=30
    )
    visit_interval_medium_days = models.PositiveSmallIntegerField(
        _("visit interval, medium risk (days)"), default=90
    )
    visit_interval_low_days = models.PositiveSmallIntegerField(
        _("visit interval, low risk (days)"), default=180
    )
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("minors policy")
        verbose_name_plural = _("minors policies")

    def __str__(self) -> str:
        return str(self.station)

    def visit_interval(self, risk_level: str) -> timedelta:
        days = {
            RiskLevel.HIGH: self.visit_interval_high_days,
            RiskLevel.MEDIUM: self.visit_interval_medium_days,
        }.get(risk_level, self.visit_interval_low_days)
        return timedelta(days=days)


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ChildCategory(models.TextChoices):
    LEFT_BEHIND = "left_behind", _("Left-behind child")
    IN_DIFFICULTY = "in_difficulty", _("Child in difficulty")
    UNSUPPORTED = "unsupported", _("De facto unsupported child")


class Child(Versioned):
    """A child of the city's registry (留守儿童 / 困境儿童 / 事实无人抚养儿童)."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="children", verbose_name=_("station")
    )
    name = models.CharField(_("name"), max_length=60)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=18, blank=True, validators=[validate_id_number]
    )
    category = models.CharField(_("category"), max_length=20, choices=ChildCategory.choices)
    guardian_name = models.CharField(_("guardian"), max_length=60, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=30, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=30, blank=True)
    school = models.CharField(_("school"), max_length=100, blank=True)
    township = models.CharField(_("township"), max_length=60, blank=True)
    village = models.CharField(_("village"), max_length=60, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    registered_on = models.DateField(_("registered on"))
    reported_on = models.DateField(
        _("reported in difficulty on"),
        null=True,
        blank=True,
        help_text=_(
            "The date the child was reported (申报) as a child in difficulty needing a case intervention."
        ),
    )
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("registered child")
        verbose_name_plural = _("registered children")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["station", "category"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_identity(self)


class CaseReason(models.TextChoices):
    RAN_AWAY = "ran_away", _("Ran away from home")
    ONLINE_CONTACT = "online_contact", _("Came to meet an online contact")
    POLICE_REFERRAL = "police_referral", _("Referred by police")
    CITIZEN_REFERRAL = "citizen_referral", _("Referred by a citizen")
    ABUSE_DISCLOSED = "abuse_disclosed", _("Abuse disclosed")
    OTHER = "other", _("Other")


class CaseOutcome(models.TextChoices):
    RETURNED_TO_GUARDIAN = "returned_to_guardian", _("Returned to the guardian")
    ESCORTED_HOME = "escorted_home", _("Escorted home")
    HANDED_TO_POLICE = "handed_to_police", _("Handed to police")
    WELFARE_INSTITUTION = "welfare_institution", _("Handed to a welfare institution")
    CIVIL_AFFAIRS = "civil_affairs", _("Handed to the civil affairs department")
    OTHER = "other", _("Other")


class MinorCaseQuerySet(StationScopedQuerySet):
    def open(self) -> MinorCaseQuerySet:
        return self.filter(outcome="")


class MinorCase(Versioned):
    """The case of a minor: in the station (linked to the stay) or of a registered child."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="minor_cases", verbose_name=_("station")
    )
    stay = models.OneToOneField(
        Stay,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minor_case",
        verbose_name=_("stay"),
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("registered child"),
    )
    opened_at = models.DateTimeField(_("opened at"))
    opened_on = models.DateField(_("opened on"), editable=False)
    reason = models.CharField(_("reason"), max_length=20, choices=CaseReason.choices)
    reason_detail = models.TextField(_("circumstances"), blank=True)
    guardian_name = models.CharField(_("guardian"), max_length=60, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=30, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=30, blank=True)
    policy_advice = models.TextField(_("policy advice given"), blank=True)
    harm_disclosed_at = models.DateTimeField(
        _("harm disclosed at"),
        null=True,
        blank=True,
        help_text=_("When the minor disclosed abuse or violence: a mandatory report is due."),
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=CaseOutcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    opened_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    history = HistoricalRecords()

    objects = MinorCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("minor's case")
        verbose_name_plural = _("minors' cases")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["station", "opened_on"]),
            # The case list's order, in the station worked in (selectors.case_list): its first
            # page is read from the index's first entries however many cases there are.
            models.Index(fields=["-opened_at", "-id"], name="minorcase_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stay__isnull=False) | models.Q(child__isnull=False),
                name="minor_case_has_stay_or_child",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.opened_on:%Y-%m-%d}"

    @property
    def subject_name(self) -> str:
        if self.stay_id:
            return str(self.stay.person)
        return str(self.child) if self.child_id else ""

    @property
    def is_open(self) -> bool:
        return not self.outcome


class ProviderRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    COUNSELLOR = "counsellor", _("Psychological counsellor")
    LAWYER = "lawyer", _("Lawyer")
    VOLUNTEER = "volunteer", _("Volunteer")


class CounsellingSession(Plausible):
    """Counselling (心理疏导), policy advice or adjustment help given to a minor."""

    station_path = "case__station"

    case = models.ForeignKey(
        MinorCase, on_delete=models.CASCADE, related_name="counselling", verbose_name=_("case")
    )
    held_on = models.DateField(_("date"))
    provider_role = models.CharField(_("by"), max_length=20, choices=ProviderRole.choices)
    provider_name = models.CharField(_("provider's name"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("counselling session")
        verbose_name_plural = _("counselling sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.held_on}"


class ReportRecipient(models.TextChoices):
    POLICE = "police", _("Public security (police)")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    EDUCATION = "education", _("Education department")
    OTHER = "other", _("Other")


class MandatoryReport(Versioned):
    """A mandatory report (强制报告) of suspected harm to a minor."""

    station_path = "case__station"

    case = models.ForeignKey(
        MinorCase, on_delete=models.PROTECT, related_name="reports", verbose_name=_("case")
    )
    suspicion = models.TextField(_("suspected harm"))
    reported_at = models.DateTimeField(_("reported at"))
    recipient = models.CharField(_("reported to"), max_length=20, choices=ReportRecipient.choices)
    recipient_unit = models.CharField(
        _("receiving unit"), max_length=100, blank=True, help_text=_("e.g. 荷塘派出所")
    )
    receipt_no = models.CharField(_("receipt number"), max_length=60, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandatory report")
        verbose_name_plural = _("mandatory reports")
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.reported_at:%Y-%m-%d %H:%M}"


class VisitOccasion(models.TextChoices):
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival")
    CHILDRENS_DAY = "childrens_day", _("Children's Day")
    ROUTINE = "routine", _("Routine visit")
    FOLLOW_UP = "follow_up", _("Follow-up visit")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("visit status", "Planned")
    DONE = "done", pgettext_lazy("visit status", "Done")


class VisitQuerySet(StationScopedQuerySet):
    def done(self) -> VisitQuerySet:
        return self.filter(status=VisitStatus.DONE)

    def planned(self) -> VisitQuerySet:
        return self.filter(status=VisitStatus.PLANNED)


class Visit(Versioned):
    """A visit to a registered child (走访慰问): planned (a date and who is to go) or done (the
    date it took place, who went, what was found). Only a visit done counts in the figures and
    moves the child's next visit due date on."""

    date_kinds = {"planned_on": DateKind.PLANNED}

    station_path = "child__station"

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="visits", verbose_name=_("child")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.DONE
    )
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    # The day the visit took place: empty while it is planned.
    visited_on = models.DateField(_("date"), null=True, blank=True)
    occasion = models.CharField(
        _("occasion"), max_length=20, choices=VisitOccasion.choices, default=VisitOccasion.ROUTINE
    )
    worker = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("worker"),
    )
    findings = models.TextField(_("findings"), blank=True)
    help_given = models.TextField(_("help given"), blank=True)
    history = HistoricalRecords()

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["child", "visited_on"]),
            models.Index(fields=["status", "planned_on"], name="minors_visit_planned_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="done", visited_on__isnull=False)
                | models.Q(status="planned", visited_on__isnull=True, planned_on__isnull=False),
                name="visit_done_has_date_planned_has_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.visited_on or self.planned_on}"

    @property
    def is_planned(self) -> bool:
        return self.status == VisitStatus.PLANNED

    def clean_fields(self, exclude: Any = None) -> None:
        """The dates the status needs, on the field a form shows (unless it failed already)."""
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skip = set(exclude or ()) | set(errors)
        for name, message in self._status_problems().items():
            if name not in skip:
                errors[name] = [ValidationError(message, code="visit_status_dates")]
        if errors:
            raise ValidationError(errors)

    def _status_problems(self) -> dict[str, Any]:
        if self.status == VisitStatus.DONE:
            if self.visited_on is None:
                return {"visited_on": _("A visit done needs the date it took place.")}
            return {}
        problems = {}
        if self.planned_on is None:
            problems["planned_on"] = _("A planned visit needs the date it is planned for.")
        if self.visited_on is not None:
            problems["visited_on"] = _("A planned visit has no date done yet.")
        return problems


class FollowUp(Plausible):
    """A long-term follow-up (长期跟进) of a child by a social worker or counsellor."""

    date_kinds = {"ended_on": DateKind.PERIOD}

    station_path = "child__station"

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="followups", verbose_name=_("child")
    )
    worker = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    worker_role = models.CharField(
        _("as"), max_length=20, choices=ProviderRole.choices, default=ProviderRole.SOCIAL_WORKER
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    goal = models.TextField(_("goal"), blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up assignment")
        verbose_name_plural = _("follow-up assignments")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="followup_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.started_on}"


class AssessmentResult(models.TextChoices):
    ADEQUATE = "adequate", _("Guardianship adequate")
    NEEDS_SUPPORT = "needs_support", _("Needs support")
    INADEQUATE = "inadequate", _("Guardianship inadequate")


class GuardianshipAssessment(Plausible):
    """A family guardianship assessment with guidance (家庭监护评估与指导)."""

    station_path = "child__station"

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("child")
    )
    assessed_on = models.DateField(_("date"))
    assessor = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessor"),
    )
    result = models.CharField(_("result"), max_length=20, choices=AssessmentResult.choices)
    guidance = models.TextField(_("guidance for the family"), blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardianship assessment")
        verbose_name_plural = _("guardianship assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.child} {self.assessed_on}"


class Intervention(Plausible):
    """A case intervention (个案干预) for a child reported in difficulty."""

    station_path = "child__station"

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="interventions", verbose_name=_("child")
    )
    started_on = models.DateField(_("started on"))
    worker = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("worker"),
    )
    plan = models.TextField(_("plan"))
    actions = models.TextField(_("actions taken"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.child} {self.started_on}"


class ActivityKind(models.TextChoices):
    CLASS = "class", _("Class in a school")
    THEME = "theme", _("Theme activity")
    ART = "art", _("Art class")
    CAMP = "camp", _("Camp")
    GROUP_WORK = "group_work", _("Group work")
    VOLUNTEER = "volunteer", _("Volunteer work")


class Activity(Versioned):
    """A class or a care activity. ``participants`` counts everyone; ``children`` names those known."""

    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        related_name="minor_activities",
        verbose_name=_("station"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("theme"), max_length=120)
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    partner = models.CharField(_("partner organisation"), max_length=120, blank=True)
    # "sessions" alone is translated by django.contrib.sessions first (会话), hence the longer name.
    sessions = models.PositiveSmallIntegerField(_("number of sessions"), default=1)
    participants = models.PositiveIntegerField(_("participants"))
    children = models.ManyToManyField(
        Child, blank=True, related_name="activities", verbose_name=_("named children")
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(m2m_fields=[children])

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["station", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sessions__gte=1), name="activity_has_a_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.held_on}"


def next_visit_due(*, policy: MinorsPolicy, risk_level: str, last: date) -> date:
    try:
        return last + policy.visit_interval(risk_level)
    except OverflowError:  # a last visit in year 9999, which the rules refuse when it is saved
        return date.max
