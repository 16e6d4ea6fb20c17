"""Forms of the performance app; messages in Chinese through gettext."""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from rescue_station import registry
from rescue_station.forms import (
    MISSING_VERSION,
    DateInput,
    VersionedFormMixin,
    model_form_field,
)
from rescue_station.query import BoundedChoicesMixin

from .models import Framework, Indicator, IndicatorAdjustment, ReportSection
from .report import finding_key


def metric_choices(current: str = "") -> list[tuple[str, Any]]:
    """The registry's metrics by their labels, grouped by the app that computes them; a key no
    longer registered stays pickable (and is the one place a key shows, since it has no label)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for metric in registry.all_metrics():
        app = apps.get_app_config(metric.key.split(".", 1)[0]).verbose_name
        groups.setdefault(str(app), []).append((metric.key, str(metric.label)))
    choices: list[tuple[str, Any]] = [("", _("— entered by hand —")), *groups.items()]
    if current and registry.label_of(current) == current:
        choices.append((current, _("%(key)s (not registered)") % {"key": current}))
    return choices


def weights_text(weights: dict[str, Any]) -> str:
    return "\n".join(f"{name} {value}" for name, value in weights.items())


class FrameworkCreateForm(BoundedChoicesMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    copy_from = forms.ModelChoiceField(
        label=_("Start from the framework of"),
        queryset=Framework.objects.none(),
        required=False,
        help_text=_("Its lines and targets are copied; actuals and notes are not."),
    )

    def __init__(self, *args: Any, frameworks=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if frameworks is not None:
            self.fields["copy_from"].queryset = frameworks


class FrameworkForm(VersionedFormMixin, forms.ModelForm):
    declared_text = forms.CharField(
        label=_("Declared level-1 weights"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One group a line: its name, a space, its weight (预算执行率 10)."),
    )

    class Meta:
        model = Framework
        fields = [
            "places",
            "far_exceeded_threshold",
            "long_term_goals",
            "expected_goals",
            "achieved_goals",
            "budget_deviation",
            "budget_measure",
        ]
        widgets = {
            "long_term_goals": forms.Textarea(attrs={"rows": 6}),
            "expected_goals": forms.Textarea(attrs={"rows": 6}),
            "achieved_goals": forms.Textarea(attrs={"rows": 6}),
            "budget_deviation": forms.Textarea(attrs={"rows": 3}),
            "budget_measure": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["declared_text"].initial = weights_text(self.instance.declared_weights or {})
        self.order_fields(["declared_text"])
        if self.instance.pk and self.instance.targets_locked:
            for name in ("long_term_goals", "expected_goals"):  # as approved by the bureau
                self.fields[name].disabled = True

    def clean_declared_text(self) -> dict[str, str]:
        weights: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["declared_text"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, value = line.strip().rpartition(" ")
            try:
                weight = Decimal(value)
            except InvalidOperation:
                weight = Decimal(-1)
            if not name.strip() or weight < 0:
                raise forms.ValidationError(
                    _("Line %(number)s: write the group's name, a space and its weight.")
                    % {"number": number}
                )
            weights[name.strip()] = format(weight.normalize(), "f")
        if not weights:
            raise forms.ValidationError(_("Give at least one group and its weight."))
        return weights


class IndicatorForm(VersionedFormMixin, forms.ModelForm):
    metric_key = forms.ChoiceField(label=_("Metric"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "order",
            "level1",
            "level2",
            "name",
            "comparator",
            "target",
            "unit",
            "weight",
            "metric_key",
            "manual_actual",
            "evidence",
            "evidence_file",
            "tier",
            "tier_score",
            "deviation",
            "measure",
        ]
        widgets = {
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "deviation": forms.Textarea(attrs={"rows": 3}),
            "measure": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = metric_choices(self.instance.metric_key)
        self.fields["metric_key"].help_text = Indicator._meta.get_field("metric_key").help_text
        if self.instance.pk and self.instance.framework.targets_locked:
            # As approved by the bureau: the target changes through an adjustment, the rest not.
            for name in ("level1", "level2", "name", "comparator", "target", "unit"):
                self.fields[name].disabled = True
            self.fields["target"].help_text = _(
                "Approved by the bureau: change it through an adjustment, with its reason."
            )


class NotesForm(VersionedFormMixin, forms.Form):
    """The deviation reason and improvement measure beside each line of the form, with the
    version of each line the page showed."""

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"deviation-{indicator.pk}"] = forms.CharField(
                label=_("Deviation reason"),
                required=False,
                initial=indicator.deviation,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"measure-{indicator.pk}"] = forms.CharField(
                label=_("Improvement measure"),
                required=False,
                initial=indicator.measure,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            # Not required: a line added after the page was loaded is not on it.
            self.add_version_field(f"version-{indicator.pk}", indicator, required=False)

    def version_field_for(self, record: Any) -> str:
        return f"version-{record.pk}"

    def conflict_subject(self, record: Any) -> str:
        return str(record)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.sent_no_version():
            self.add_error(None, MISSING_VERSION)
        return data

    def notes(self) -> list[tuple[Indicator, str, str, int]]:
        """Each line the page showed: its notes as posted and the version it was loaded from
        (a line added since is left alone, its empty boxes would wipe its notes)."""
        return [
            (
                i,
                self.cleaned_data[f"deviation-{i.pk}"],
                self.cleaned_data[f"measure-{i.pk}"],
                self.versions[f"version-{i.pk}"],
            )
            for i in self.indicators
            if self.versions.get(f"version-{i.pk}") is not None
        ]


class NarrativeForm(VersionedFormMixin, forms.Form):
    def __init__(
        self,
        *args: Any,
        sections: dict[str, ReportSection],
        drafts: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        """An empty section takes its draft; a written one keeps its text, the draft beside it.
        Each section carries its version (none for a section not written yet)."""
        super().__init__(*args, **kwargs)
        drafts = drafts or {}
        for key, label in ReportSection.Key.choices:
            section = sections.get(key)
            text = section.body if section is not None else ""
            draft = drafts.get(key, "")
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                initial=text if text.strip() else draft,
                help_text=(
                    _("Drafted from the figures: %(draft)s") % {"draft": draft}
                    if draft and text.strip() and draft != text
                    else ""
                ),
                widget=forms.Textarea(attrs={"rows": 10 if key == "performance" else 5}),
            )
            # Not required: empty for a section not written when the page was loaded.
            self.add_version_field(f"version-{key}", section, required=False)

    def version_field_for(self, record: Any) -> str:
        return f"version-{record.key}"

    def conflict_subject(self, record: Any) -> str:
        return str(record)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.sent_no_version():  # every section has its field, written or not
            self.add_error(None, MISSING_VERSION)
        return data

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in ReportSection.Key.values}

    def section_versions(self) -> dict[str, int | None]:
        """The version each section was loaded from (None: not written then)."""
        return {key: self.versions[f"version-{key}"] for key in ReportSection.Key.values}


class ImportConfirmForm(VersionedFormMixin, forms.Form):
    """The confirmation of a previewed import: the upload's token and the version of each line
    that the preview showed would be replaced."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            # Not required: a line added since the preview has none, and refuses the import.
            self.add_version_field(f"version-{indicator.pk}", indicator, required=False)

    def version_field_for(self, record: Any) -> str:
        return f"version-{record.pk}"

    def conflict_subject(self, record: Any) -> str:
        return str(record)

    def line_versions(self) -> dict[int, int | None]:
        return {int(name.split("-", 1)[1]): version for name, version in self.versions.items()}


class WeightFixForm(VersionedFormMixin, forms.Form):
    """The weights finding's button: the line's version and the weight it proposes."""

    weight = forms.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal("0.01"))


class AcknowledgeForm(forms.Form):
    """Finalising as the form stands: a written acknowledgement of each error finding. A field
    is named after its finding (code and lines), so a finding that appeared since the page was
    loaded has no text and refuses the finalising."""

    def __init__(
        self, *args: Any, errors: list, initial_texts: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.keys: dict[str, str] = {}
        for finding in errors:
            key = finding_key(finding.code, finding.lines)
            name = "ack-" + hashlib.sha1(key.encode()).hexdigest()[:12]
            self.keys[name] = key
            where = f"{'、'.join(finding.lines)}：" if finding.lines else ""
            self.fields[name] = forms.CharField(
                label=f"{finding.title} · {where}{finding.message}",
                required=False,
                max_length=2000,
                initial=(initial_texts or {}).get(key, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def acknowledgements(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(name, "") for name, key in self.keys.items()}


class ApprovalForm(VersionedFormMixin, forms.Form):
    """The bureau's approval of the declared targets, as the finance officer records it."""

    approved_on = model_form_field(Framework, "approved_on", required=True, widget=DateInput())
    approval_document = model_form_field(Framework, "approval_document", required=True)


class AdjustmentForm(VersionedFormMixin, forms.Form):
    """A change of an approved target, with its reason and its date."""

    target = model_form_field(IndicatorAdjustment, "target", label=_("New target"))
    reason = model_form_field(
        IndicatorAdjustment, "reason", widget=forms.Textarea(attrs={"rows": 3})
    )
    adjusted_on = model_form_field(IndicatorAdjustment, "adjusted_on", widget=DateInput())


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class CopyForm(forms.Form):
    """A new year from last year's framework: the year and each line's new target."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, lines: list, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = year
        self.lines = lines
        for line in lines:
            self.fields[f"target-{line.indicator.pk}"] = forms.CharField(
                label=_("New target"), initial=line.suggested, max_length=60
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for line in self.lines:
            name = f"target-{line.indicator.pk}"
            value = (data.get(name) or "").strip()
            if value and not line.indicator.kind.is_manual_kind:
                try:
                    Decimal(value)
                except InvalidOperation:
                    self.add_error(
                        name, _("The target of this kind is a number, without its sign.")
                    )
        return data

    def targets(self) -> dict[int, str]:
        return {
            line.indicator.pk: self.cleaned_data[f"target-{line.indicator.pk}"].strip()
            for line in self.lines
        }

    def rows(self) -> list[tuple[Any, Any]]:
        return [(line, self[f"target-{line.indicator.pk}"]) for line in self.lines]


class MonitoringNotesForm(forms.Form):
    """The cause and measure of each monitored line (and of the budget execution)."""

    def __init__(self, *args: Any, rows: list[Any], budget: Any, **kwargs: Any) -> None:
        """``rows`` are the form's lines (MonitoringRow), ``budget`` its budget part."""
        super().__init__(*args, **kwargs)
        self.row_ids = [r.indicator_id for r in rows if r.indicator_id]
        textarea = forms.Textarea(attrs={"rows": 2})
        for name, value in (("budget_cause", budget.cause), ("budget_measure", budget.measure)):
            self.fields[name] = forms.CharField(
                label=_("Cause") if name.endswith("cause") else _("Measure"),
                required=False,
                initial=value,
                widget=textarea,
                max_length=2000,
            )
        for row in rows:
            if not row.indicator_id:
                continue
            self.fields[f"cause-{row.indicator_id}"] = forms.CharField(
                label=_("Cause"),
                required=False,
                initial=row.cause,
                widget=textarea,
                max_length=2000,
            )
            self.fields[f"measure-{row.indicator_id}"] = forms.CharField(
                label=_("Measure"),
                required=False,
                initial=row.measure,
                widget=textarea,
                max_length=2000,
            )

    def notes(self) -> dict[int, tuple[str, str]]:
        return {
            pk: (self.cleaned_data[f"cause-{pk}"], self.cleaned_data[f"measure-{pk}"])
            for pk in self.row_ids
        }


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
