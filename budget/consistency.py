"""The budget findings of domain/scoring.md, as pure functions over a ``BudgetBlock``.

``budget.sum`` (error): the parts do not add up — basic + project = total, personnel + public =
basic, the income sources = total — for initial, adjusted and executed alike.
``budget.over_executed`` (warning): executed above the adjusted budget (the total or a cut).
No ORM here: the performance app runs the same checks on the block it reads through ``budget.api``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .types import BASIC, PERSONNEL, PROJECT, PUBLIC, TOTAL_LINE, Amounts, BudgetBlock

ERROR, WARNING = "error", "warning"
KINDS = ("initial", "adjusted", "executed")


FINDING_TITLES = {
    "budget.sum": gettext_lazy("Budget parts do not add up"),
    "budget.over_executed": gettext_lazy("Budget over-executed"),
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "error" or "warning"
    lines: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def title(self) -> str:
        return str(FINDING_TITLES.get(self.code, self.code))


def _kind_label(kind: str) -> str:
    return {
        "initial": _("initial budget"),
        "adjusted": _("adjusted budget"),
        "executed": _("executed"),
    }[kind]


def _wan(amount: Decimal) -> str:
    from rescue_station.formatting import format_wan

    return format_wan(amount)


def _mismatches(parts: list[Amounts], whole: Amounts) -> list[str]:
    """'<kind>: a ≠ b' for each amount kind whose parts do not add up to the whole."""
    out = []
    for kind in KINDS:
        total = sum((getattr(p, kind) for p in parts), Decimal("0"))
        if total != getattr(whole, kind):
            out.append(f"{_kind_label(kind)} {_wan(total)} ≠ {_wan(getattr(whole, kind))}")
    return out


def sum_findings(block: BudgetBlock) -> list[Finding]:
    """``budget.sum``: one finding for each of the three sums that does not hold."""
    nature = block.by_nature
    zero = Amounts()
    checks = [
        (
            [TOTAL_LINE],
            _("Basic plus project expenditure does not equal the total (万元)"),
            [nature.get(BASIC, zero), nature.get(PROJECT, zero)],
            block.total,
        ),
        (
            [BASIC],
            _("Personnel plus running costs do not equal basic expenditure (万元)"),
            [nature.get(PERSONNEL, zero), nature.get(PUBLIC, zero)],
            nature.get(BASIC, zero),
        ),
        (
            [TOTAL_LINE],
            _("The income sources do not add up to the total (万元)"),
            list(block.by_source.values()),
            block.total,
        ),
    ]
    findings = []
    for lines, what, parts, whole in checks:
        wrong = _mismatches(parts, whole)
        if wrong:
            message = f"{what}：{'；'.join(wrong)}"
            findings.append(Finding("budget.sum", ERROR, lines, message))
    return findings


def over_executed_findings(block: BudgetBlock) -> list[Finding]:
    """``budget.over_executed``: the total, or a source or nature, executed above its adjusted budget."""
    cuts = [(TOTAL_LINE, block.total), *block.by_source.items(), *block.by_nature.items()]
    findings = []
    for name, amounts in cuts:
        if amounts.executed > amounts.adjusted:
            message = _(
                "Executed %(executed)s is above the adjusted budget %(adjusted)s (万元)."
            ) % {"executed": _wan(amounts.executed), "adjusted": _wan(amounts.adjusted)}
            findings.append(Finding("budget.over_executed", WARNING, [name], message))
    return findings


def budget_findings(block: BudgetBlock) -> list[Finding]:
    """All budget findings, errors first, then by code."""
    findings = sum_findings(block) + over_executed_findings(block)
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.code))
