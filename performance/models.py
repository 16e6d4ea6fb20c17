"""Models of the performance app: a station's framework of a year, its indicators, its evaluation.

The framework and its indicators are the finance officer's input (targets, weights, where each
actual comes from); the evaluation is the report of the year: its narrative, its status, and once
finalised its frozen figures (a JSON snapshot) and its stored PDF with the PDF's SHA-256.
Numbers of the other apps are never stored here: they are read through the metric registry.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rescue_station.models import Plausible, Station, Versioned
from rescue_station.scoping import StationScopedQuerySet
from rescue_station.uploads import EvidenceValidator

from . import scoring

DEFAULT_DECLARED = {
    "预算执行率": "10",
    "产出指标": "40",
    "效益指标": "20",
    "满意度指标": "10",
    "成本指标": "20",
}


class Framework(Versioned):
    """The indicators, targets and weights of a station's year (绩效目标).

    Its targets are declared to the finance bureau before the year (``declared``) and locked once
    the bureau approves them (``approved``): a later change of a target is an adjustment with its
    reason (``IndicatorAdjustment``). A framework never declared stays a ``draft`` and is edited
    freely until its evaluation is finalised, as before.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        DECLARED = "declared", _("declared")
        APPROVED = "approved", _("approved")

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="frameworks", verbose_name=_("station")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    declared_weights = models.JSONField(
        _("declared level-1 weights"),
        default=dict,
        help_text=_("Weight of each level-1 group, the budget line (预算执行率) included."),
    )
    places = models.PositiveSmallIntegerField(
        _("decimal places of scores"), default=1, validators=[MaxValueValidator(3)]
    )
    far_exceeded_threshold = models.DecimalField(
        _("far-exceeded threshold"),
        max_digits=4,
        decimal_places=2,
        default=scoring.DEFAULT_FAR_EXCEEDED,
        validators=[MinValueValidator(Decimal(1))],
        help_text=_("Warn when an actual reaches this multiple of its target (1.5 = 150%)."),
    )
    status = models.CharField(
        _("status of the targets"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    long_term_goals = models.TextField(_("long-term goals (长期目标)"), blank=True)
    expected_goals = models.TextField(_("expected goals (预期目标)"), blank=True)
    achieved_goals = models.TextField(_("goals achieved (实际完成情况)"), blank=True)
    budget_deviation = models.TextField(_("budget line: deviation reason"), blank=True)
    budget_measure = models.TextField(_("budget line: improvement measure"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True, editable=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declared by"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_document = models.CharField(
        _("approval document number (批复文号)"), max_length=100, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approval recorded by"),
    )
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["station", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year"], name="unique_framework_year"),
        ]
        verbose_name = _("performance framework")
        verbose_name_plural = _("performance frameworks")
        permissions = [
            ("approve_framework", _("Can record the bureau's approval of the targets")),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.year}"

    @property
    def budget_weight(self) -> Decimal:
        return Decimal(str(self.declared_weights.get(scoring.BUDGET_GROUP, "10")))

    def declared(self) -> dict[str, Decimal]:
        return {k: Decimal(str(v)) for k, v in self.declared_weights.items()}

    @property
    def targets_locked(self) -> bool:
        """Approved by the bureau: a target changes only through an adjustment."""
        return self.status == self.Status.APPROVED

    def clean(self) -> None:
        if self.status == self.Status.APPROVED and not (
            self.approved_on and self.approval_document.strip()
        ):
            raise ValidationError(_("An approval keeps its date and its document number."))
        if not isinstance(self.declared_weights, dict):
            raise ValidationError({"declared_weights": _("Give a weight for each group.")})
        for name, value in self.declared_weights.items():
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                number = Decimal(-1)
            if not str(name).strip() or number < 0 or not number.is_finite():
                raise ValidationError(
                    {"declared_weights": _("%(name)s: not a weight.") % {"name": name}}
                )


class Indicator(Versioned):
    """A level-3 indicator (三级指标) with its target, weight and the source of its actual."""

    class ComparatorChoice(models.TextChoices):
        GE = ">=", "≥"
        GT = ">", ">"
        EQ = "=", "="
        LT = "<", "<"
        LE = "<=", "≤"
        QUALITATIVE = "qualitative", _("qualitative (定性)")
        PERIOD = "period", _("period (时效)")

    class TierChoice(models.TextChoices):
        ACHIEVED = "achieved", _("achieved (达成年度指标)")
        PARTLY = "partly", _("partly achieved (部分达成年度指标并具有一定效果)")
        NOT_ACHIEVED = "not_achieved", _("not achieved (未达成年度指标且效果较差)")

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("framework")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    level1 = models.CharField(_("level 1 (一级指标)"), max_length=40)
    level2 = models.CharField(_("level 2 (二级指标)"), max_length=40)
    name = models.CharField(_("indicator (三级指标)"), max_length=200)
    comparator = models.CharField(_("kind"), max_length=12, choices=ComparatorChoice.choices)
    target = models.CharField(
        _("target"),
        max_length=60,
        help_text=_("A number without the sign; a word for qualitative and period lines."),
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    declared_target = models.CharField(
        _("target as approved"),
        max_length=60,
        blank=True,
        editable=False,
        help_text=_("The target when the bureau approved the framework; empty before."),
    )
    weight = models.DecimalField(
        _("weight (分值)"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    metric_key = models.CharField(
        _("metric"),
        max_length=80,
        blank=True,
        help_text=_("Where the actual comes from; empty for an actual entered by hand."),
    )
    manual_actual = models.CharField(
        _("actual entered by hand"),
        max_length=60,
        blank=True,
        help_text=_("A number, or the evaluator's word for qualitative and period lines."),
    )
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"),
        upload_to="performance/evidence/%Y/",
        blank=True,
        validators=[EvidenceValidator()],
    )
    tier = models.CharField(_("tier"), max_length=12, choices=TierChoice.choices, blank=True)
    tier_score = models.DecimalField(
        _("score given by the evaluator"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Inside the tier's band: achieved 80–100% of the weight, partly 60–80%, not achieved "
            "below 60%. Empty for an achieved line: full marks."
        ),
    )
    deviation = models.TextField(_("deviation reason"), blank=True)
    measure = models.TextField(_("improvement measure"), blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()
    station_path = "framework__station"

    class Meta:
        ordering = ["framework", "order", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def kind(self) -> scoring.Comparator:
        return scoring.Comparator(self.comparator)

    @property
    def is_manual(self) -> bool:
        return not self.metric_key

    @property
    def source(self) -> str:
        return self.metric_key or "manual"

    @property
    def target_as_declared(self) -> str:
        """The target of the approved 绩效目标表 (the current one while never approved)."""
        return self.declared_target or self.target

    def clean(self) -> None:
        errors: dict[str, str] = {}
        manual_kind = self.comparator in ("qualitative", "period")
        if not manual_kind:
            try:
                Decimal(self.target)
            except (InvalidOperation, TypeError):
                errors["target"] = _("The target of this kind is a number, without its sign.")
            if self.metric_key and self.manual_actual:
                errors["manual_actual"] = _("An actual comes from a metric or by hand, not both.")
            if self.manual_actual:
                try:
                    Decimal(self.manual_actual)
                except InvalidOperation:
                    errors["manual_actual"] = _("Enter a number.")
        elif self.metric_key:
            errors["metric_key"] = _("Qualitative and period lines are assessed by hand.")
        if self.tier_score is not None and not self.tier:
            errors["tier"] = _("Pick the tier the score belongs to.")
        if self.tier and self.weight is not None:
            try:
                scoring.manual_score(
                    self.kind, self.weight, scoring.Tier(self.tier), self.tier_score
                )
            except scoring.ScoringError as error:
                errors["tier_score"] = str(error)
            except ValueError:
                pass
        if errors:
            raise ValidationError(errors)


class IndicatorAdjustment(Plausible):
    """A change of an approved target (绩效目标调整): from what, to what, why, on which day, by whom."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="adjustments", verbose_name=_("indicator")
    )
    previous_target = models.CharField(_("target before"), max_length=60)
    target = models.CharField(_("target after"), max_length=60)
    reason = models.TextField(_("reason for the adjustment"))
    adjusted_on = models.DateField(_("adjusted on"))
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("adjusted by"),
    )
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()
    station_path = "indicator__framework__station"

    class Meta:
        ordering = ["indicator", "adjusted_on", "pk"]
        verbose_name = _("target adjustment")
        verbose_name_plural = _("target adjustments")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.previous_target} → {self.target}"

    def clean(self) -> None:
        if not self.reason.strip():
            raise ValidationError({"reason": _("Say why the target is adjusted.")})


class Evaluation(Plausible):
    """The self-evaluation report of a framework's year: narrative, status, frozen output."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        FINAL = "final", _("final")

    framework = models.OneToOneField(
        Framework, on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("framework")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )
    snapshot = models.JSONField(_("frozen figures"), null=True, blank=True, editable=False)
    pdf = models.FileField(_("stored PDF"), upload_to="performance/reports/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    snapshot_sha256 = models.CharField(
        _("SHA-256 of the frozen figures"), max_length=64, blank=True, editable=False
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    # The snapshot is not copied into every history row: the stored PDF and its hash are.
    history = HistoricalRecords(excluded_fields=["snapshot"])

    objects = StationScopedQuerySet.as_manager()
    station_path = "framework__station"

    class Meta:
        verbose_name = _("self-evaluation")
        verbose_name_plural = _("self-evaluations")
        permissions = [
            ("finalise_evaluation", _("Can finalise a self-evaluation")),
            ("reopen_evaluation", _("Can reopen a finalised self-evaluation")),
        ]

    def __str__(self) -> str:
        return f"{self.framework} ({self.get_status_display()})"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class ReportSection(Versioned):
    """One section of the narrative report (整体支出绩效自评报告), editable text."""

    class Key(models.TextChoices):
        BASIC = "basic", "一、部门（单位）基本情况"
        BUDGET = "budget", "二、一般公共预算支出情况"
        GOVERNMENT_FUNDS = "government_funds", "三、政府性基金预算支出情况"
        STATE_CAPITAL = "state_capital", "四、国有资本经营预算支出情况"
        SOCIAL_INSURANCE = "social_insurance", "五、社会保险基金预算支出情况"
        PERFORMANCE = "performance", "六、资金使用及绩效情况"
        PROBLEMS = "problems", "七、存在的问题及原因分析"
        NEXT_STEPS = "next_steps", "八、下一步改进措施"
        PUBLICATION = "publication", "九、部门整体支出绩效自评结果拟应用和公开情况"

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="sections", verbose_name=_("evaluation")
    )
    key = models.CharField(_("section"), max_length=20, choices=Key.choices)
    body = models.TextField(_("text"), blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()
    station_path = "evaluation__framework__station"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "key"], name="unique_report_section"),
        ]
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")

    def __str__(self) -> str:
        return self.get_key_display()

    @property
    def order(self) -> int:
        return list(self.Key.values).index(self.key)


class FindingAcknowledgement(Versioned):
    """A station head's written acknowledgement of an error finding, which lets the evaluation
    be finalised as it stands (the form must be submitted): who, when and what was written."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="acknowledgements",
        verbose_name=_("evaluation"),
    )
    code = models.CharField(_("finding"), max_length=60)
    subject = models.CharField(_("lines concerned"), max_length=500, blank=True)
    text = models.TextField(_("acknowledgement"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"))
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()
    station_path = "evaluation__framework__station"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "code", "subject"], name="unique_finding_acknowledgement"
            ),
        ]
        verbose_name = _("finding acknowledgement")
        verbose_name_plural = _("finding acknowledgements")

    def __str__(self) -> str:
        return f"{self.code} {self.subject}".strip()


class Monitoring(Plausible):
    """The mid-year monitoring (绩效运行监控) of a framework's year, as the station sends it to the
    finance bureau: the cause and measure of each line at risk (kept with the year, whatever the
    as-of date), and once sent, the date it was made on and the form as sent (frozen JSON)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")

    framework = models.OneToOneField(
        Framework, on_delete=models.PROTECT, related_name="monitoring", verbose_name=_("framework")
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    budget_cause = models.TextField(_("budget execution: cause"), blank=True)
    budget_measure = models.TextField(_("budget execution: measure"), blank=True)
    sent_as_of = models.DateField(_("monitored as of"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    snapshot = models.JSONField(_("form as sent"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    objects = StationScopedQuerySet.as_manager()
    station_path = "framework__station"

    class Meta:
        verbose_name = _("performance monitoring")
        verbose_name_plural = _("performance monitorings")

    def __str__(self) -> str:
        return f"{self.framework} ({self.get_state_display()})"

    @property
    def is_sent(self) -> bool:
        return self.state == self.State.SENT

    def clean(self) -> None:
        if self.is_sent and not (self.sent_as_of and self.snapshot):
            raise ValidationError(_("A sent form keeps its date and its figures."))
        if self.sent_as_of and self.framework_id and self.sent_as_of.year != self.framework.year:
            raise ValidationError({"sent_as_of": _("The date must fall inside the year.")})


class MonitoringNote(Plausible):
    """Why a line is at risk of missing its target, and what the station will do about it."""

    monitoring = models.ForeignKey(
        Monitoring, on_delete=models.CASCADE, related_name="notes", verbose_name=_("monitoring")
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="monitoring_notes",
        verbose_name=_("indicator"),
    )
    cause = models.TextField(_("cause"), blank=True)
    measure = models.TextField(_("measure"), blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()
    station_path = "monitoring__framework__station"

    class Meta:
        verbose_name = _("monitoring note")
        verbose_name_plural = _("monitoring notes")
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring", "indicator"], name="unique_monitoring_note"
            ),
        ]

    def __str__(self) -> str:
        return str(self.indicator)

    def clean(self) -> None:
        if (
            self.monitoring_id
            and self.indicator_id
            and self.indicator.framework_id != self.monitoring.framework_id
        ):
            raise ValidationError({"indicator": _("The indicator is of another framework.")})
