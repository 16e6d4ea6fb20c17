"""The weights finding says which number to change, and the framework page changes it in one step."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from performance import scoring
from performance.models import Indicator
from performance.selectors import compute_report, weight_fixes
from performance.services import evaluation_finalise

LINE = "生活无着流浪乞讨救助对象及未成年人满意度"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _mismatch(report):
    return [f for f in report.findings if f.code == "weights.level1_mismatch"]


def test_the_seed_finding_names_the_line_and_both_numbers(demo_2024):
    (finding,) = _mismatch(compute_report(demo_2024))
    assert finding.lines == ["满意度指标"]
    assert finding.message == (
        f"「{LINE}」的权重 20 应改为 10（一级指标“满意度指标”申报权重 10，下属指标合计 20）"
    )


def test_a_group_of_several_lines_says_how_much_to_take_off_which_lines():
    lines = [
        scoring.Line(name="甲", level1="效益指标", comparator=scoring.Comparator.GE, weight=D(12)),
        scoring.Line(name="乙", level1="效益指标", comparator=scoring.Comparator.GE, weight=D(13)),
    ]
    message = scoring._mismatch_message("效益指标", D(20), [(x.name, x.weight) for x in lines])
    assert "合计 25" in message and "申报权重 20" in message
    assert "「甲」（12）、「乙」（13）" in message and "共减去 5" in message
    assert scoring.weight_fix(D(20), [("甲", D(12)), ("乙", D(13))]) is None
    assert "共加上 5" in scoring._mismatch_message(
        "效益指标", D(30), [("甲", D(12)), ("乙", D(13))]
    )


def test_no_fix_empties_a_line_of_an_undeclared_group():
    assert scoring.weight_fix(D(0), [("甲", D(5))]) is None
    assert scoring.weight_fix(D(10), [("甲", D(20))]) == scoring.WeightFix("甲", D(20), D(10))


def _fix_url(framework):
    indicator = framework.indicators.get(name=LINE)
    return indicator, reverse("performance:indicator_weight_fix", args=[framework.pk, indicator.pk])


def test_the_page_offers_the_change_and_applies_it_with_its_history(demo_2024, client_for):
    page = client_for("finance_officer").get(reverse("performance:framework", args=[demo_2024.pk]))
    assert 'data-testid="weight-fix">改为 10</button>' in page.content.decode()
    indicator, url = _fix_url(demo_2024)
    response = client_for("finance_officer").post(
        url, {"version": indicator.version, "weight": "10.00"}
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.weight == D(10) and indicator.version == 1
    row = indicator.history.order_by("-history_date").first()
    assert row.history_user.username == "finance_officer"
    assert row.history_change_reason == "分值按一级指标申报权重更正"
    codes = {f.code for f in compute_report(demo_2024).findings}
    assert "weights.level1_mismatch" not in codes and "weights.total" not in codes
    assert weight_fixes(demo_2024) == {}


def test_a_stale_page_is_refused(demo_2024, client_for):
    indicator, url = _fix_url(demo_2024)
    Indicator.objects.filter(pk=indicator.pk).update(version=3)  # someone saved it since
    client_for("finance_officer").post(url, {"version": 0, "weight": "10.00"})
    indicator.refresh_from_db()
    assert indicator.weight == D(20)


def test_only_the_proposed_weight_is_applied(demo_2024, client_for):
    indicator, url = _fix_url(demo_2024)
    client_for("finance_officer").post(url, {"version": indicator.version, "weight": "7"})
    indicator.refresh_from_db()
    assert indicator.weight == D(20)


def test_a_role_that_does_not_edit_the_framework_is_refused(demo_2024, client_for):
    indicator, url = _fix_url(demo_2024)
    page = client_for("supervisor").get(reverse("performance:framework", args=[demo_2024.pk]))
    assert 'data-testid="weight-fix"' not in page.content.decode()
    for role in ("supervisor", "bureau_supervisor"):
        response = client_for(role).post(url, {"version": indicator.version, "weight": "10.00"})
        assert response.status_code == 403, role
    indicator.refresh_from_db()
    assert indicator.weight == D(20)


def test_it_is_refused_once_the_year_is_finalised(demo_2024, users, client_for):
    indicator, url = _fix_url(demo_2024)
    # Finalised without errors: 效益 10 (two lines of 5) and 满意度 20, declared so.
    demo_2024.indicators.filter(level1="效益指标").update(weight=D(5))
    demo_2024.declared_weights = {
        **demo_2024.declared_weights,
        "满意度指标": "20",
        "效益指标": "10",
    }
    demo_2024.save()
    assert weight_fixes(demo_2024) == {}
    evaluation_finalise(framework=demo_2024, acting_user=users["supervisor"])
    demo_2024.declared_weights = {**demo_2024.declared_weights, "满意度指标": "10"}
    demo_2024.save()  # a fix again, but the year is final
    response = client_for("finance_officer").post(
        url, {"version": indicator.version, "weight": "10"}
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.weight == D(20)
