"""Scoring the self-evaluation (绩效自评): pure functions over plain values, no ORM.

Every rule here is written down in ``shared/domain/scoring.md``. Money and numbers are Decimal at
the edges; a line's exact score is computed as a Fraction (multiply before dividing, no quotient is
ever cut short) and rounded once, half up, to the framework's number of places. Rounding a
repeating Decimal quotient first could lose a half (weight 3, A 60, B 11 is exactly 0.55 → 0.6).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.api import TOTAL_LINE, BudgetBlock, budget_findings
from rescue_station.findings import Finding, Severity, register_titles

HUNDRED = Decimal(100)
BUDGET_LINE = TOTAL_LINE  # how the funds block's line is named in findings
BUDGET_GROUP = "预算执行率"  # the budget line's key among the declared level-1 weights
DEFAULT_FAR_EXCEEDED = Decimal("1.5")


class Comparator(enum.StrEnum):
    """The kinds of indicator, coded as the JSON of the evaluation writes them."""

    GE = ">="
    GT = ">"
    EQ = "="
    LT = "<"
    LE = "<="
    QUALITATIVE = "qualitative"
    PERIOD = "period"

    @property
    def is_manual_kind(self) -> bool:
        """Qualitative and period lines are scored by the evaluator, not by a formula."""
        return self in (Comparator.QUALITATIVE, Comparator.PERIOD)


class Tier(enum.StrEnum):
    ACHIEVED = "achieved"  # 达成年度指标: 0.8w – w
    PARTLY = "partly"  # 部分达成年度指标并具有一定效果: 0.6w – below 0.8w
    NOT_ACHIEVED = "not_achieved"  # 未达成年度指标且效果较差: 0 – below 0.6w


class ScoringError(ValueError):
    """An input the rules refuse (e.g. a tier's score outside its band)."""


def plain(value: Decimal) -> str:
    """A number for a message: 20 rather than 2E+1, 1.5 rather than 1.50."""
    return format(value.normalize(), "f")


def round_half_up(value: Fraction | Decimal | int, places: int) -> Decimal:
    """Round once, half up (away from zero for a half), to ``places`` decimals."""
    exact = Fraction(value)
    scaled = exact * 10**places
    sign = -1 if scaled < 0 else 1
    whole = (abs(scaled) * 2 + 1) // 2  # floor(|x| + 1/2)
    return (Decimal(sign * whole) / (Decimal(10) ** places)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )


def tier_band(tier: Tier, weight: Decimal) -> tuple[Decimal, Decimal, bool]:
    """The band of a tier: (low, high, high included)."""
    if tier == Tier.ACHIEVED:
        return weight * Decimal("0.8"), weight, True
    if tier == Tier.PARTLY:
        return weight * Decimal("0.6"), weight * Decimal("0.8"), False
    return Decimal(0), weight * Decimal("0.6"), False


def check_tier_score(tier: Tier, weight: Decimal, score: Decimal) -> None:
    """Refuse a score outside its tier's band."""
    low, high, high_included = tier_band(tier, weight)
    inside = low <= score <= high if high_included else low <= score < high
    if not inside:
        raise ScoringError(
            _("A score of %(score)s is outside the band of its tier (%(low)s to %(high)s).")
            % {"score": score, "low": plain(low), "high": plain(high)}
        )


def ratio(comparator: Comparator, target: Decimal, actual: Decimal) -> Fraction:
    """The ratio of a formula line (scoring.md's table); a negative actual counts as 0."""
    a = Fraction(target)
    b = max(Fraction(actual), Fraction(0))
    if comparator in (Comparator.GE, Comparator.GT) or (comparator == Comparator.EQ and a > 0):
        if a <= 0 or b >= a:
            return Fraction(1)
        return b / a
    if comparator == Comparator.EQ:  # A = 0 (or below): exact means nothing happened
        return Fraction(1) if b <= 0 else Fraction(0)
    if comparator in (Comparator.LE, Comparator.LT):
        if a <= 0:
            return Fraction(1) if b == 0 else Fraction(0)
        if b <= a:
            return Fraction(1)
        if b >= 2 * a:
            return Fraction(0)
        return (2 * a - b) / a
    raise ScoringError(f"no formula for {comparator}")


def formula_score(
    comparator: Comparator, weight: Decimal, target: Decimal, actual: Decimal, places: int = 1
) -> Decimal:
    """weight × ratio, computed exactly, rounded once, never above the weight."""
    exact = Fraction(weight) * ratio(comparator, target, actual)
    return min(round_half_up(exact, places), round_half_up(Fraction(weight), places))


def manual_score(
    comparator: Comparator,
    weight: Decimal,
    tier: Tier,
    score: Decimal | None,
    places: int = 1,
) -> Decimal:
    """A qualitative or period line: the evaluator's score inside the band of the tier.

    A period line done within its period (tier achieved, no score set) and a qualitative line
    achieved with no score set take full marks.
    """
    if score is None:
        if tier != Tier.ACHIEVED:
            raise ScoringError(_("A tier other than achieved needs a score."))
        score = weight
    if score > weight:
        raise ScoringError(_("A score cannot be above the weight."))
    check_tier_score(tier, weight, score)
    return round_half_up(score, places)


def execution_rate(executed: Decimal, adjusted: Decimal) -> Decimal | None:
    """executed / adjusted × 100, 2 places half up; None for an adjusted budget of 0."""
    if not adjusted:
        return None
    return round_half_up(Fraction(executed) * 100 / Fraction(adjusted), 2)


def budget_score(weight: Decimal, rate: Decimal | None, places: int = 1) -> Decimal:
    """weight × min(rate, 100) ÷ 100, the rate already rounded to 2 places; no budget gives 0."""
    if rate is None:
        return round_half_up(0, places)
    capped = min(max(Fraction(rate), Fraction(0)), Fraction(100))
    return round_half_up(Fraction(weight) * capped / 100, places)


def grade(total: Decimal) -> str:
    """优 90 and above, 良 80 to below 90, 中 60 to below 80, 差 below 60."""
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


def total_score(lines: Iterable[tuple[Decimal, Decimal | None]], places: int = 1) -> Decimal:
    """100 − Σ (weight − score) over (weight, rounded score) pairs; a line without a score lost all."""
    deductions = sum((w - (s if s is not None else Decimal(0)) for w, s in lines), Decimal(0))
    return round_half_up(HUNDRED - deductions, places)


# ---------------------------------------------------------------- the whole evaluation


@dataclass(frozen=True)
class Line:
    """One indicator line as the evaluation scores it."""

    name: str
    level1: str
    comparator: Comparator
    weight: Decimal
    level2: str = ""
    target: Decimal | None = None  # formula kinds
    actual: Decimal | None = None  # formula kinds: the metric's value or the manual entry
    actual_text: str = ""  # qualitative / period: the evaluator's word (提升, 2024)
    tier: Tier | None = None
    tier_score: Decimal | None = None
    manual: bool = False  # the actual was entered by hand rather than read from a metric
    has_evidence: bool = False
    deviation: str = ""
    measure: str = ""
    missing_reason: str = ""  # why the actual is missing (e.g. a metric not registered)


@dataclass(frozen=True)
class LineResult:
    line: Line
    score: Decimal | None  # None: no actual (or an unusable manual score)
    lost_points: bool
    far_exceeded: bool
    problem: str = ""  # why no score could be given


@dataclass(frozen=True)
class BudgetResult:
    initial: Decimal
    adjusted: Decimal
    executed: Decimal
    weight: Decimal
    rate: Decimal | None
    score: Decimal


# What each finding is called on the pages; the code stays the key of the JSON and the tests.
# The budget's findings (budget.sum, budget.over_executed) are budget.consistency's.
FINDING_TITLES = {
    "weights.total": gettext_lazy("Weights do not add up to 100"),
    "weights.level1_mismatch": gettext_lazy("Level-1 weights differ from the declared ones"),
    "actual.missing": gettext_lazy("No actual value"),
    "deviation.missing": gettext_lazy("Deviation reason missing"),
    "measure.missing": gettext_lazy("Improvement measure missing"),
    "target.far_exceeded": gettext_lazy("Target far exceeded"),
    "manual.no_evidence": gettext_lazy("Manual value without evidence"),
}
register_titles(FINDING_TITLES)


@dataclass(frozen=True)
class WeightFix:
    """The one number to change when a level-1 group's lines disagree with its declared weight."""

    line: str
    current: Decimal
    proposed: Decimal


def weight_fix(declared: Decimal, lines: Sequence[tuple[str, Decimal]]) -> WeightFix | None:
    """The change of a single line's weight that makes its group add up to the declared weight:
    only for a group of one line (of several, which line is wrong is the evaluator's call), and
    never to a weight of 0 or below (an undeclared group is not fixed by emptying its line)."""
    have = sum((weight for _, weight in lines), Decimal(0))
    if len(lines) != 1 or have == declared:
        return None
    name, current = lines[0]
    proposed = current - (have - declared)
    return WeightFix(name, current, proposed) if proposed > 0 else None


def _mismatch_message(group: str, want: Decimal, lines: Sequence[tuple[str, Decimal]]) -> str:
    """Which number to change: the line's weight for a group of one line, else the difference to
    take off (or add to) the group's lines, each named with its weight."""
    have = sum((weight for _, weight in lines), Decimal(0))
    values = {"group": group, "want": plain(want), "have": plain(have)}
    fix = weight_fix(want, lines)
    if fix is not None:
        return _(
            "The weight of “%(line)s” should be %(proposed)s, not %(current)s (level-1 "
            "indicator “%(group)s” is declared at %(want)s, its lines add up to %(have)s)."
        ) % {
            **values,
            "line": fix.line,
            "current": plain(fix.current),
            "proposed": plain(fix.proposed),
        }
    if len(lines) > 1 and want > 0:
        listed = "、".join(f"「{name}」（{plain(weight)}）" for name, weight in lines)
        values.update(diff=plain(abs(have - want)), lines=listed)
        if have > want:
            return (
                _(
                    "The lines of level-1 indicator “%(group)s” add up to %(have)s, but %(want)s is "
                    "declared: take %(diff)s in all off the weights of %(lines)s."
                )
                % values
            )
        return (
            _(
                "The lines of level-1 indicator “%(group)s” add up to %(have)s, but %(want)s is "
                "declared: add %(diff)s in all to the weights of %(lines)s."
            )
            % values
        )
    return _("The weights of %(group)s add up to %(have)s, but %(want)s is declared.") % values


@dataclass(frozen=True)
class Result:
    lines: list[LineResult]
    budget: BudgetResult
    total: Decimal
    grade: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == Severity.ERROR for f in self.findings)


def score_line(line: Line, places: int, far_threshold: Decimal) -> LineResult:
    score: Decimal | None = None
    problem = ""
    far = False
    try:
        if line.comparator.is_manual_kind:
            if line.tier is not None and line.actual_text.strip():
                score = manual_score(
                    line.comparator, line.weight, line.tier, line.tier_score, places
                )
        elif line.actual is not None and line.target is not None:
            score = formula_score(line.comparator, line.weight, line.target, line.actual, places)
            far = (
                line.comparator in (Comparator.GE, Comparator.GT)
                and line.target > 0
                and max(line.actual, Decimal(0)) >= far_threshold * line.target
            )
    except ScoringError as error:
        problem = str(error)
        score = None
    lost = score is not None and score < line.weight
    return LineResult(line=line, score=score, lost_points=lost, far_exceeded=far, problem=problem)


def evaluate(
    *,
    lines: Sequence[Line],
    block: BudgetBlock,
    budget_weight: Decimal,
    declared: Mapping[str, Decimal],
    places: int = 1,
    far_threshold: Decimal = DEFAULT_FAR_EXCEEDED,
    budget_deviation: str = "",
    budget_measure: str = "",
) -> Result:
    """Score every line and the budget line, total, grade and the findings (ordered)."""
    results = [score_line(line, places, far_threshold) for line in lines]
    rate = execution_rate(block.total.executed, block.total.adjusted)
    budget = BudgetResult(
        initial=block.total.initial,
        adjusted=block.total.adjusted,
        executed=block.total.executed,
        weight=budget_weight,
        rate=rate,
        score=budget_score(budget_weight, rate, places),
    )
    total = total_score(
        [(budget.weight, budget.score), *((r.line.weight, r.score) for r in results)], places
    )
    findings = _findings(
        results, budget, block, budget_weight, declared, (budget_deviation, budget_measure)
    )
    return Result(lines=results, budget=budget, total=total, grade=grade(total), findings=findings)


def _findings(
    results: Sequence[LineResult],
    budget: BudgetResult,
    block: BudgetBlock,
    budget_weight: Decimal,
    declared: Mapping[str, Decimal],
    budget_notes: tuple[str, str],
) -> list[Finding]:
    found: list[Finding] = []
    E, W = Severity.ERROR, Severity.WARNING

    weights = budget_weight + sum((r.line.weight for r in results), Decimal(0))
    if weights != HUNDRED:
        found.append(
            Finding(
                E,
                "weights.total",
                (),
                _("All weights add up to %(sum)s, not 100.") % {"sum": plain(weights)},
            )
        )
    groups: dict[str, Decimal] = {}
    members: dict[str, list[tuple[str, Decimal]]] = {}
    for r in results:
        groups[r.line.level1] = groups.get(r.line.level1, Decimal(0)) + r.line.weight
        members.setdefault(r.line.level1, []).append((r.line.name, r.line.weight))
    for name in [*(k for k in declared if k != BUDGET_GROUP), *groups]:
        if name in (f.lines[0] for f in found if f.code == "weights.level1_mismatch"):
            continue
        want = declared.get(name, Decimal(0))
        have = groups.get(name, Decimal(0))
        if want != have:
            found.append(
                Finding(
                    E,
                    "weights.level1_mismatch",
                    (name,),
                    _mismatch_message(name, want, members.get(name, [])),
                )
            )
    if BUDGET_GROUP in declared and declared[BUDGET_GROUP] != budget_weight:
        found.append(
            Finding(
                E,
                "weights.level1_mismatch",
                (BUDGET_LINE,),
                _("The budget line weighs %(have)s, but %(want)s is declared.")
                % {"have": plain(budget_weight), "want": plain(declared[BUDGET_GROUP])},
            )
        )

    for r in results:
        name = r.line.name
        if r.score is None:
            found.append(
                Finding(
                    E,
                    "actual.missing",
                    (name,),
                    r.problem or r.line.missing_reason or _("The indicator has no actual value."),
                )
            )
        if r.lost_points and not r.line.deviation.strip():
            found.append(
                Finding(
                    E,
                    "deviation.missing",
                    (name,),
                    _("The line lost points and has no deviation reason."),
                )
            )
        if r.lost_points and not r.line.measure.strip():
            found.append(
                Finding(
                    W,
                    "measure.missing",
                    (name,),
                    _("The line lost points and has no improvement measure."),
                )
            )
        if r.far_exceeded:
            found.append(
                Finding(
                    W,
                    "target.far_exceeded",
                    (name,),
                    _(
                        "The actual %(actual)s far exceeds the target %(target)s: the target was "
                        "probably set too low."
                    )
                    % {"actual": plain(r.line.actual), "target": plain(r.line.target)},
                )
            )
        if r.line.manual and not r.line.has_evidence:
            found.append(
                Finding(
                    W,
                    "manual.no_evidence",
                    (name,),
                    _("A manually entered actual has no evidence attached or described."),
                )
            )
    if budget.score < budget.weight:
        if not budget_notes[0].strip():
            found.append(
                Finding(
                    E,
                    "deviation.missing",
                    (BUDGET_LINE,),
                    _("The line lost points and has no deviation reason."),
                )
            )
        if not budget_notes[1].strip():
            found.append(
                Finding(
                    W,
                    "measure.missing",
                    (BUDGET_LINE,),
                    _("The line lost points and has no improvement measure."),
                )
            )

    # The same findings as the budget's execution page, from the same check.
    found.extend(budget_findings(block))
    order = {E: 0, W: 1}
    return sorted(found, key=lambda f: (order[f.severity], f.code))
