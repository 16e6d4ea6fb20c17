"""The budget findings of domain/scoring.md, as pure functions over a ``BudgetBlock``.

``budget.sum`` (error): the parts do not add up — basic + project = total, personnel + public =
basic, the income sources = total — for initial, adjusted and executed alike.
``budget.over_executed`` (warning): executed above the adjusted budget (the total or a cut).
No ORM here: the budget's execution page and the self-evaluation (through ``budget.api``) run
these same checks on the same block, so the two cannot disagree about a year.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rescue_station.findings import Finding, Severity, register_titles
from rescue_station.formatting import format_wan as _wan

from .types import BASIC, PERSONNEL, PROJECT, PUBLIC, TOTAL_LINE, Amounts, BudgetBlock

KINDS = ("initial", "adjusted", "executed")

FINDING_TITLES = {
    "budget.sum": gettext_lazy("Budget parts do not add up"),
    "budget.over_executed": gettext_lazy("Budget over-executed"),
}
register_titles(FINDING_TITLES)


def _kind_label(kind: str) -> str:
    return {
        "initial": _("initial budget"),
        "adjusted": _("adjusted budget"),
        "executed": _("executed"),
    }[kind]


def _mismatches(parts: list[Amounts], whole: Amounts) -> list[str]:
    """'<kind>: a ≠ b' for each amount kind whose parts do not add up to the whole."""
    out = []
    for kind in KINDS:
        total = sum((getattr(p, kind) for p in parts), Decimal("0"))
        if total != getattr(whole, kind):
            out.append(f"{_kind_label(kind)} {_wan(total)} ≠ {_wan(getattr(whole, kind))}")
    return out


def sum_findings(block: BudgetBlock) -> list[Finding]:
    """``budget.sum``: one finding for each line of the form whose sums do not hold.

    The total is the whole of two sums (natures, sources): when both fail, one finding says so,
    as a finding is told apart (and acknowledged when the evaluation is finalised) by its code and
    its lines.
    """
    nature = block.by_nature
    zero = Amounts()
    checks = [
        (
            TOTAL_LINE,
            _("Basic plus project expenditure does not equal the total (万元)"),
            [nature.get(BASIC, zero), nature.get(PROJECT, zero)],
            block.total,
        ),
        (
            BASIC,
            _("Personnel plus running costs do not equal basic expenditure (万元)"),
            [nature.get(PERSONNEL, zero), nature.get(PUBLIC, zero)],
            nature.get(BASIC, zero),
        ),
        (
            TOTAL_LINE,
            _("The income sources do not add up to the total (万元)"),
            list(block.by_source.values()),
            block.total,
        ),
    ]
    messages: dict[str, list[str]] = {}
    for line, what, parts, whole in checks:
        wrong = _mismatches(parts, whole)
        if wrong:
            messages.setdefault(line, []).append(f"{what}：{'；'.join(wrong)}")
    return [
        Finding(Severity.ERROR, "budget.sum", (line,), "。".join(texts))
        for line, texts in messages.items()
    ]


def over_executed_findings(block: BudgetBlock) -> list[Finding]:
    """``budget.over_executed``: the total, or a source or nature, executed above its adjusted budget."""
    cuts = [(TOTAL_LINE, block.total), *block.by_source.items(), *block.by_nature.items()]
    findings = []
    for name, amounts in cuts:
        if amounts.executed > amounts.adjusted:
            message = _(
                "Executed %(executed)s is above the adjusted budget %(adjusted)s (万元)."
            ) % {"executed": _wan(amounts.executed), "adjusted": _wan(amounts.adjusted)}
            findings.append(Finding(Severity.WARNING, "budget.over_executed", (name,), message))
    return findings


def budget_findings(block: BudgetBlock) -> list[Finding]:
    """All budget findings, errors first, then by code."""
    findings = sum_findings(block) + over_executed_findings(block)
    return sorted(findings, key=lambda f: (f.severity != Severity.ERROR, f.code))
