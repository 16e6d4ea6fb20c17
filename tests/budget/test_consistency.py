from decimal import Decimal as D

from django.urls import reverse

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
from performance.models import Framework


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
    assert finding.lines == ("年度资金总额",)


def test_it_reports_personnel_plus_public_not_equal_to_basic():
    block = _block(A(10, 12, 11), A(6, 7, 7), A(5, 5, 5), A(1, 2, 1), A(4, 5, 4))
    [finding] = sum_findings(block)
    assert finding.lines == (BASIC,)


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
    assert finding.lines == ("年度资金总额",)


def test_it_warns_when_executed_is_above_the_adjusted_budget():
    block = _block(A(10, 12, 13), A(6, 7, 8), A(5, 5, 6), A(1, 2, 2), A(4, 5, 5))
    findings = over_executed_findings(block)
    assert {f.code for f in findings} == {"budget.over_executed"}
    assert {f.severity for f in findings} == {"warning"}
    assert {f.lines for f in findings} == {
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


def test_the_execution_page_and_the_evaluation_report_the_same_budget_findings(
    client_for, station, make_line, spend
):
    # One source spent above its budget while the total stays within it: the evaluation checked
    # the total only, so it said nothing where the budget page warned.
    spend(make_line(station, source="general", adjusted="10"), "12")
    make_line(station, source="government_fund", adjusted="10")
    framework = Framework.objects.create(station=station, year=2024)
    client = client_for("finance_officer")

    page = client.get(reverse("budget:execution"), {"year": 2024}).context["findings"]
    evaluation = client.get(reverse("performance:json", args=[framework.pk])).json()["findings"]

    on_page = [(f.severity, f.code, list(f.lines), f.message) for f in page]
    in_evaluation = [
        (f["severity"], f["code"], f["lines"], f["message"])
        for f in evaluation
        if f["code"].startswith("budget.")
    ]
    assert [(code, lines) for _, code, lines, _ in on_page] == [
        ("budget.over_executed", ["一般公共预算"])
    ]
    assert in_evaluation == on_page


def test_two_sums_of_the_total_that_fail_make_one_finding_of_the_total():
    # A finding is told apart by its code and lines (the acknowledgements of the evaluation).
    natures = (A(10, 12, 11), A(6, 7, 7), A(5, 5, 5), A(1, 2, 2), A(4, 5, 3))
    sources = {"一般公共预算": A(10, 10, 11)}
    [by_nature] = sum_findings(_block(*natures))
    [by_source] = sum_findings(_block(*natures[:4], A(4, 5, 4), sources=sources))
    [both] = sum_findings(_block(*natures, sources=sources))
    assert by_nature.lines == by_source.lines == both.lines == ("年度资金总额",)
    assert by_nature.message in both.message and by_source.message in both.message
