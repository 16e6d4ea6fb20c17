from decimal import Decimal as D

from budget.api import (
    BASIC,
    PERSONNEL,
    PROJECT,
    PUBLIC,
    SOURCES,
    Amounts,
    BudgetBlock,
    budget_findings,
    over_executed_findings,
    sum_findings,
)


def _block(total, basic, personnel, public, project, sources=None) -> BudgetBlock:
    by_source = {s: Amounts() for s in SOURCES}
    by_source.update(sources or {"一般公共预算": total})
    return BudgetBlock(
        station_code="zhuzhou",
        year=2024,
        total=total,
        by_source=by_source,
        by_nature={BASIC: basic, PERSONNEL: personnel, PUBLIC: public, PROJECT: project},
    )


def A(i, a, e) -> Amounts:
    return Amounts(D(i), D(a), D(e))


def test_it_finds_nothing_when_every_sum_holds():
    block = _block(A(10, 12, 11), A(6, 7, 7), A(5, 5, 5), A(1, 2, 2), A(4, 5, 4))
    assert budget_findings(block) == []


def test_it_reports_basic_plus_project_not_equal_to_the_total():
    block = _block(A(10, 12, 11), A(6, 7, 7), A(5, 5, 5), A(1, 2, 2), A(4, 5, 3))
    [finding] = sum_findings(block)
    assert finding.code == "budget.sum" and finding.severity == "error"
    assert finding.lines == ["年度资金总额"]


def test_it_reports_personnel_plus_public_not_equal_to_basic():
    block = _block(A(10, 12, 11), A(6, 7, 7), A(5, 5, 5), A(1, 2, 1), A(4, 5, 4))
    [finding] = sum_findings(block)
    assert finding.lines == [BASIC]


def test_it_reports_sources_that_do_not_add_up_to_the_total():
    block = _block(
        A(10, 12, 11),
        A(6, 7, 7),
        A(5, 5, 5),
        A(1, 2, 2),
        A(4, 5, 4),
        sources={"一般公共预算": A(10, 10, 11)},
    )
    [finding] = sum_findings(block)
    assert finding.lines == ["年度资金总额"]


def test_it_warns_when_executed_is_above_the_adjusted_budget():
    block = _block(A(10, 12, 13), A(6, 7, 8), A(5, 5, 6), A(1, 2, 2), A(4, 5, 5))
    findings = over_executed_findings(block)
    assert {f.code for f in findings} == {"budget.over_executed"}
    assert {f.severity for f in findings} == {"warning"}
    assert {tuple(f.lines) for f in findings} == {
        ("年度资金总额",),
        ("一般公共预算",),
        (BASIC,),
        (PERSONNEL,),
    }


def test_errors_come_before_warnings():
    block = _block(A(10, 12, 13), A(6, 7, 8), A(5, 5, 6), A(1, 2, 2), A(4, 5, 4))
    severities = [f.severity for f in budget_findings(block)]
    assert severities == sorted(severities, key=lambda s: s != "error")
    assert "error" in severities and "warning" in severities
