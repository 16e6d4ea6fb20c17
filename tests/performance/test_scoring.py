"""Every rule and worked example of scoring.md."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from budget.api import BASIC, Amounts
from demo.seed_2024 import DECLARED_2024, INDICATORS_2024
from performance import scoring
from performance.scoring import Comparator as C
from performance.scoring import Line, ScoringError, Tier

from .seed_figures import ACTUALS_2024, block_2024


def score(comparator, weight, target, actual, places=1):
    return scoring.formula_score(C(comparator), D(weight), D(target), D(actual), places)


@pytest.mark.parametrize(
    ("comparator", "weight", "target", "actual", "expected"),
    [
        (">=", "3", "7500", "5577", "2.2"),  # worked example: 2.2308
        (">=", "3", "156", "156", "3.0"),
        (">=", "3", "600", "780", "3.0"),  # never above the weight
        (">=", "3", "0", "0", "3.0"),  # A = 0 gives 1
        (">=", "3", "100", "0", "0.0"),  # B = 0
        (">=", "3", "100", "-5", "0.0"),  # a negative B counts as 0
        (">", "3", "60", "11", "0.6"),  # exactly 0.55: multiply before dividing
        (">", "4", "10", "10", "4.0"),
        ("=", "20", "100", "99.96", "20.0"),  # worked example: 19.992
        ("=", "10", "0", "0", "10.0"),  # 安全事故发生率 = 0
        ("=", "10", "0", "1", "0.0"),
        ("=", "10", "0", "-1", "10.0"),  # negative counts as 0
        ("=", "10", "100", "50", "5.0"),
        ("<=", "10", "5", "5", "10.0"),
        ("<=", "10", "5", "3", "10.0"),
        ("<=", "10", "5", "6", "8.0"),  # 10 × (10 − 6) ÷ 5
        ("<=", "10", "5", "10", "0.0"),  # B = 2A
        ("<=", "10", "5", "11", "0.0"),  # B > 2A
        ("<", "3", "60", "109", "0.6"),  # 3 × (120 − 109) ÷ 60 = 0.55 → 0.6
        ("<=", "10", "0", "0", "10.0"),  # A = 0, B = 0
        ("<", "10", "0", "1", "0.0"),  # A = 0, B > 0
        ("<=", "10", "5", "-1", "10.0"),
    ],
)
def test_it_scores_each_formula_kind(comparator, weight, target, actual, expected):
    assert str(score(comparator, weight, target, actual)) == expected


def test_it_rounds_a_half_up_exactly_where_dividing_first_loses_it():
    assert D(3) * (D(11) / D(60)) < D("0.55")  # the trap
    assert str(score(">=", "3", "60", "11")) == "0.6"
    assert str(score(">=", "3", "60", "11", places=2)) == "0.55"


def test_it_rounds_to_the_frameworks_places():
    assert str(score(">=", "3", "7500", "5577", places=2)) == "2.23"
    assert str(score(">=", "3", "7500", "5577", places=0)) == "2"


@pytest.mark.parametrize(
    ("tier", "weight", "given", "ok"),
    [
        (Tier.ACHIEVED, "10", "10", True),
        (Tier.ACHIEVED, "10", "8", True),
        (Tier.ACHIEVED, "10", "7.9", False),
        (Tier.PARTLY, "10", "6", True),
        (Tier.PARTLY, "10", "7.9", True),
        (Tier.PARTLY, "10", "8", False),
        (Tier.PARTLY, "10", "5.9", False),
        (Tier.NOT_ACHIEVED, "10", "0", True),
        (Tier.NOT_ACHIEVED, "10", "5.9", True),
        (Tier.NOT_ACHIEVED, "10", "6", False),
        (Tier.ACHIEVED, "10", "10.5", False),
    ],
)
def test_it_refuses_a_tier_score_outside_its_band(tier, weight, given, ok):
    if ok:
        assert scoring.manual_score(C.QUALITATIVE, D(weight), tier, D(given)) == D(given)
    else:
        with pytest.raises(ScoringError):
            scoring.manual_score(C.QUALITATIVE, D(weight), tier, D(given))


def test_an_achieved_qualitative_or_period_line_without_a_score_takes_full_marks():
    assert str(scoring.manual_score(C.QUALITATIVE, D(10), Tier.ACHIEVED, None)) == "10.0"
    assert str(scoring.manual_score(C.PERIOD, D(2), Tier.ACHIEVED, None)) == "2.0"
    with pytest.raises(ScoringError):
        scoring.manual_score(C.PERIOD, D(2), Tier.PARTLY, None)


def test_the_budget_line_rounds_the_rate_first_then_scores():
    rate = scoring.execution_rate(D("10827800.00"), D("10831700.00"))
    assert str(rate) == "99.96"
    assert str(scoring.budget_score(D(10), rate)) == "10.0"
    assert scoring.execution_rate(D(5), D(0)) is None
    assert str(scoring.budget_score(D(10), None)) == "0.0"
    assert str(scoring.budget_score(D(10), D("120.00"))) == "10.0"  # min(rate, 100)
    assert str(scoring.budget_score(D(10), D("85.55"), places=1)) == "8.6"


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.9", "良"),
        ("80", "良"),
        ("79.9", "中"),
        ("60", "中"),
        ("59.9", "差"),
    ],
)
def test_it_grades_by_the_bands(total, grade):
    assert scoring.grade(D(total)) == grade


def test_the_total_is_full_marks_less_the_deductions():
    assert scoring.total_score([(D(10), D("10.0")), (D(3), D("2.2")), (D(20), D("20.0"))]) == D(
        "99.2"
    )
    assert scoring.total_score([(D(10), None)]) == D("90.0")


# ------------------------------------------------------------- the 2024 table as printed


def seed_lines(**changes) -> list[Line]:
    lines = []
    for ind in INDICATORS_2024:
        manual = ind["source"] == "manual"
        comparator = C(ind["comparator"])
        lines.append(
            Line(
                name=ind["name"],
                level1=ind["level1"],
                level2=ind["level2"],
                comparator=comparator,
                weight=D(ind["weight"]),
                target=None if comparator.is_manual_kind else D(ind["target"]),
                actual=None if manual else D(ACTUALS_2024[ind["source"]]),
                actual_text=ind.get("actual_text", ""),
                tier=Tier(ind.get("tier", "achieved")) if manual else None,
                manual=manual,
                has_evidence=bool(ind.get("evidence")),
                deviation=ind.get("deviation", ""),
                measure=ind.get("measure", ""),
            )
        )
    return [replace(line, **changes.get(line.name, {})) for line in lines]


def evaluate(lines=None, block=None, declared=None):
    declared = declared or {k: D(v) for k, v in DECLARED_2024.items()}
    return scoring.evaluate(
        lines=lines or seed_lines(),
        block=block or block_2024(),
        budget_weight=D(10),
        declared=declared,
    )


def test_the_2024_table_as_printed_totals_99_2_grade_excellent():
    result = evaluate()
    assert str(result.budget.rate) == "99.96"
    assert str(result.budget.score) == "10.0"
    scores = {r.line.name: str(r.score) for r in result.lines}
    assert scores["流浪乞讨救助人次数"] == "2.2"
    assert scores["预算执行率"] == "20.0"
    assert scores["安全事故发生率"] == "10.0"
    assert scores["救助服务水平进一步提升，维护社会稳定"] == "10.0"
    assert sum(1 for r in result.lines if r.lost_points) == 1
    assert str(result.total) == "99.2"
    assert result.grade == "优"


def test_the_2024_table_as_printed_has_exactly_the_predicted_findings():
    found = [(f.severity.value, f.code, f.lines) for f in evaluate().findings]
    assert found == [
        ("error", "weights.level1_mismatch", ("满意度指标",)),
        ("error", "weights.total", ()),
        ("warning", "target.far_exceeded", ("留守、困境儿童关爱保护人数",)),
        ("warning", "target.far_exceeded", ("留守、困境儿童关爱保护活动场次",)),
    ]


def test_a_line_that_lost_points_asks_for_its_reason_and_measure():
    result = evaluate(seed_lines(**{"流浪乞讨救助人次数": {"deviation": " ", "measure": ""}}))
    codes = {(f.code, f.lines) for f in result.findings}
    assert ("deviation.missing", ("流浪乞讨救助人次数",)) in codes
    assert ("measure.missing", ("流浪乞讨救助人次数",)) in codes
    assert result.has_errors


def test_a_line_without_an_actual_is_an_error_and_scores_nothing():
    result = evaluate(seed_lines(**{"护送返乡人数": {"actual": None}}))
    assert ("error", "actual.missing", ("护送返乡人数",)) in [
        (f.severity.value, f.code, f.lines) for f in result.findings
    ]
    assert str(result.total) == "96.2"


def test_a_manual_line_without_evidence_warns():
    name = "流浪乞讨人员救助工作期间"
    result = evaluate(seed_lines(**{name: {"has_evidence": False}}))
    assert ("warning", "manual.no_evidence", (name,)) in [
        (f.severity.value, f.code, f.lines) for f in result.findings
    ]


def test_a_manual_line_without_a_tier_has_no_actual():
    name = "救助服务水平进一步提升，维护社会稳定"
    result = evaluate(seed_lines(**{name: {"tier": None}}))
    assert ("actual.missing", (name,)) in [(f.code, f.lines) for f in result.findings]


def test_a_manual_score_outside_its_band_is_reported_not_raised():
    name = "救助服务水平进一步提升，维护社会稳定"
    result = evaluate(seed_lines(**{name: {"tier": Tier.PARTLY, "tier_score": D("9")}}))
    finding = next(f for f in result.findings if f.code == "actual.missing")
    assert finding.lines == (name,)


def test_the_far_exceeded_threshold_is_configurable():
    result = scoring.evaluate(
        lines=seed_lines(),
        block=block_2024(),
        budget_weight=D(10),
        declared={k: D(v) for k, v in DECLARED_2024.items()},
        far_threshold=D("1.3"),
    )
    far = [f.lines[0] for f in result.findings if f.code == "target.far_exceeded"]
    assert "街面救助人数" in far and "护送返乡人数" in far


def test_corrected_weights_leave_no_error():
    lines = seed_lines(**{"生活无着流浪乞讨救助对象及未成年人满意度": {"weight": D(10)}})
    result = evaluate(lines)
    assert not result.has_errors
    assert str(result.total) == "99.2"


def test_a_budget_that_does_not_add_up_is_an_error():
    block = block_2024()
    natures = dict(block.by_nature)
    natures[BASIC] = Amounts(D("1"), D("1"), D("1"))
    result = evaluate(block=replace(block, by_nature=natures))
    finding = next(f for f in result.findings if f.code == "budget.sum")
    assert finding.severity == "error" and finding.lines == ("年度资金总额",)


def test_a_budget_executed_above_the_adjusted_warns_and_caps_the_score():
    block = block_2024()
    total = Amounts(block.total.initial, D("100"), D("120"))
    result = evaluate(block=replace(block, total=total))
    assert ("warning", "budget.over_executed") in [
        (f.severity.value, f.code) for f in result.findings
    ]
    assert str(result.budget.score) == "10.0"


def test_a_budget_line_that_lost_points_needs_its_reason():
    block = block_2024()
    total = Amounts(block.total.initial, D("100"), D("50"))
    result = evaluate(block=replace(block, total=total))
    assert ("deviation.missing", ("年度资金总额",)) in [(f.code, f.lines) for f in result.findings]


def test_an_undeclared_group_is_a_mismatch():
    lines = seed_lines(**{"安全事故发生率": {"level1": "其他指标"}})
    groups = [f.lines for f in evaluate(lines).findings if f.code == "weights.level1_mismatch"]
    assert ("其他指标",) in groups and ("效益指标",) in groups


def test_messages_write_numbers_plainly():
    messages = " ".join(f.message for f in evaluate().findings)
    assert "110" in messages and "E+" not in messages
