"""The station's ledger: budget lines (年初预算数, 全年预算数), projects, and the expenditures paid.

Money is Decimal yuan with 2 places. What is executed is never stored: it is the sum of the
expenditures, so the cuts of the execution table always add up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rescue_station.models import Plausible, Station, Versioned
from rescue_station.scoping import StationScopedQuerySet

from .types import PERSONNEL, PUBLIC

ZERO = Decimal("0.00")
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def money_field(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        **kwargs,
    )


class FundingSource(Plausible):
    """An income source (按收入性质). ``name`` is the short name the self-evaluation form prints."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(
        _("name"),
        max_length=40,
        unique=True,
        help_text=_("The short name of the self-evaluation form, e.g. 一般公共预算."),
    )
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self) -> str:
        return self.full_name or self.name


function_code_validator = RegexValidator(
    r"^(\d{3}|\d{5}|\d{7})$",
    _("A function code has 3 (类), 5 (款) or 7 (项) digits."),
)


class FunctionClass(Plausible):
    """A code of the government expenditure function classification (政府收支分类科目, 支出功能分类)."""

    code = models.CharField(
        _("code"), max_length=7, unique=True, validators=[function_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    note = models.CharField(_("note"), max_length=200, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("function class")
        verbose_name_plural = _("function classes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def level(self) -> str:
        return {3: "类", 5: "款", 7: "项"}.get(len(self.code), "")


class Nature(models.TextChoices):
    """Expenditure nature (按支出性质): basic (personnel, public) or project."""

    PERSONNEL = "personnel", _("Basic expenditure – personnel")
    PUBLIC = "public", _("Basic expenditure – running costs")
    PROJECT = "project", _("Project expenditure")


# The official names, as finance systems print them (Excel in and out, whatever the UI language).
NATURE_OFFICIAL = {
    Nature.PERSONNEL: "基本支出-人员经费",
    Nature.PUBLIC: "基本支出-公用经费",
    Nature.PROJECT: "项目支出",
}
# Personnel, running costs, then projects: the order of the self-evaluation form.
NATURE_ORDER = models.Case(
    models.When(nature=Nature.PERSONNEL, then=models.Value(0)),
    models.When(nature=Nature.PUBLIC, then=models.Value(1)),
    default=models.Value(2),
)
# The cut of the funds block each nature falls in.
NATURE_BLOCK_KEY = {Nature.PERSONNEL: PERSONNEL, Nature.PUBLIC: PUBLIC}


class ExpenditureQuerySet(StationScopedQuerySet):
    def live(self) -> ExpenditureQuerySet:
        """The payments that count: not voided (红冲)."""
        return self.filter(voided_at__isnull=True)


class ProjectQuerySet(StationScopedQuerySet):
    def with_executed(self) -> ProjectQuerySet:
        """Annotate ``executed`` (sum of the expenditures of the project's lines) and
        ``carried_forward`` (allocated − executed)."""
        money = models.DecimalField(max_digits=16, decimal_places=2)
        executed = models.functions.Coalesce(
            models.Sum(
                "lines__expenditures__amount",
                filter=models.Q(lines__expenditures__voided_at__isnull=True),
            ),
            models.Value(ZERO),
            output_field=money,
        )
        return self.annotate(executed=executed).annotate(
            carried_forward=models.ExpressionWrapper(
                models.F("allocated") - models.F("executed"), output_field=money
            )
        )


class Project(Versioned):
    """A project (专项): money for a purpose, with its basis document.

    The allocated amount is kept apart from the year's budget lines: a project may have only what
    it spends this year in the adjusted budget, the rest carried forward. Carried forward is
    allocated − executed, computed, never stored.
    """

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="budget_projects", verbose_name=_("station")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    name = models.CharField(_("name"), max_length=100)
    basis_document = models.CharField(
        _("basis document"), max_length=100, blank=True, help_text=_("e.g. 湘财社〔2022〕30号")
    )
    function_class = models.ForeignKey(
        FunctionClass, on_delete=models.PROTECT, related_name="+", verbose_name=_("function code")
    )
    added_mid_year = models.BooleanField(_("added mid-year"), default=False)
    carried_over = models.BooleanField(_("carried over from earlier years"), default=False)
    allocated = money_field(_("allocated amount (yuan)"), default=ZERO)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "name"], name="budget_project_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"

    def clean(self) -> None:
        if self.function_class_id and len(self.function_class.code) != 7:
            raise ValidationError(
                {"function_class": _("Choose a 7-digit code (项), not a class or a section.")}
            )


class BudgetLine(Versioned):
    """One line of the station's budget for a year: source × nature × function code (× project)."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("station")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="+", verbose_name=_("funding source")
    )
    nature = models.CharField(_("nature"), max_length=12, choices=Nature.choices)
    function_class = models.ForeignKey(
        FunctionClass, on_delete=models.PROTECT, related_name="+", verbose_name=_("function code")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="lines",
        null=True,
        blank=True,
        verbose_name=_("project"),
    )
    initial = money_field(_("initial budget (yuan)"), default=ZERO)
    adjusted = money_field(_("adjusted budget (yuan)"), default=ZERO)
    description = models.CharField(_("description"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = StationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "nature", "function_class__code", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        indexes = [models.Index(fields=["station", "year"])]

    def __str__(self) -> str:
        label = self.project.name if self.project_id else self.description
        code = self.function_class.code if self.function_class_id else ""
        return f"#{self.pk} {self.year} {code} {label or self.get_nature_display()}".strip()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.function_class_id and len(self.function_class.code) != 7:
            errors["function_class"] = _("Choose a 7-digit code (项), not a class or a section.")
        if self.nature == Nature.PROJECT and not self.project_id:
            errors["project"] = _("Project expenditure needs its project.")
        if self.nature and self.nature != Nature.PROJECT and self.project_id:
            errors["project"] = _("Only project expenditure belongs to a project.")
        if self.project_id and self.station_id and self.project.station_id != self.station_id:
            errors["project"] = _("The project belongs to another station.")
        elif self.project_id and self.year and self.project.year != self.year:
            errors["project"] = _("The project is of another year.")
        if errors:
            raise ValidationError(errors)


# A recorded payment's amount, line and date change only by voiding it (budget.services).
IMMUTABLE_HINT = _("To change the amount, line or date, void the expenditure and record it again.")


class Expenditure(Versioned):
    """A payment charged to a budget line (a voucher of the accounts).

    无预算不支出: a payment that would take its line above the adjusted budget is refused. Once
    recorded, its amount, line and date change only by voiding it (红冲, with a reason) and
    recording a new one; a voided payment stays, struck through, and counts in no sum.
    ``station`` and ``fiscal_year`` repeat the line's, so that the database can hold a voucher
    number unique per station and year among the payments not voided.
    """

    line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        related_name="expenditures",
        verbose_name=_("budget line"),
    )
    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("station"),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), editable=False, validators=YEAR_VALIDATORS
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), _("The amount must be above zero."))],
    )
    voucher_no = models.CharField(_("voucher number"), max_length=40)
    description = models.CharField(_("description"), max_length=200, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("voided by"),
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    history = HistoricalRecords()

    station_path = "line__station"
    objects = ExpenditureQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        indexes = [models.Index(fields=["line", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "fiscal_year", "voucher_no"],
                condition=models.Q(voided_at__isnull=True),
                name="budget_expenditure_unique_voucher",
                violation_error_message=_(
                    "This voucher number is already used in the station's year."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.voucher_no}"

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    def _copy_line(self) -> None:
        if self.line_id:
            self.station_id = self.line.station_id
            self.fiscal_year = self.line.year

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._copy_line()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self._copy_line()
        errors: dict[str, Any] = {}
        if self.line_id and self.date and self.date.year != self.line.year:
            errors["date"] = _("The date must fall inside the line's year (%(year)s).") % {
                "year": self.line.year
            }
        if self.line_id and self.voucher_no and not self.voided and self.voucher_taken():
            errors["voucher_no"] = _(
                "Voucher number %(no)s is already used in %(year)s: each voucher is recorded once."
            ) % {"no": self.voucher_no, "year": self.fiscal_year}
        if self.voided and not self.void_reason.strip():
            errors["void_reason"] = _("Say why the expenditure is voided.")
        if errors:
            raise ValidationError(errors)

    def voucher_taken(self) -> bool:
        """Whether another payment not voided of the station's year has this voucher number."""
        return (
            Expenditure.objects.live()
            .filter(
                station_id=self.station_id, fiscal_year=self.fiscal_year, voucher_no=self.voucher_no
            )
            .exclude(pk=self.pk)
            .exists()
        )
