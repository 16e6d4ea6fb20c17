"""Target declaration (issue 14, item 1): declared → approved (locked) → adjusted with a reason;
the 绩效目标表 as page, PDF and Excel; both targets on the self-evaluation form and in its JSON."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from performance import services
from performance.models import Framework, Indicator, IndicatorAdjustment
from performance.report import Report
from performance.selectors import compute_report

PERSON_DAYS = "流浪乞讨救助人次数"  # ≥7500 人天次 in the printed 2024; 5577 done


def declare_and_approve(framework, users, approved_on=date(2024, 1, 20)):
    services.framework_declare(framework=framework, acting_user=users["finance_officer"])
    return services.framework_approve(
        framework=Framework.objects.get(pk=framework.pk),
        approved_on=approved_on,
        document_number="株民财〔2024〕3号",
        acting_user=users["finance_officer"],
    )


def adjust(framework, users, target="6000", reason="上级下调年度任务"):
    indicator = framework.indicators.get(name=PERSON_DAYS)
    return services.indicator_target_adjust(
        indicator=indicator,
        target=target,
        reason=reason,
        adjusted_on=date(2024, 7, 1),
        acting_user=users["finance_officer"],
    )


def evaluation_json() -> dict:
    out = StringIO()
    call_command("evaluation_report", "--station", "zhuzhou", "--year", "2024", stdout=out)
    return json.loads(out.getvalue())


def person_days_row(data: dict) -> dict:
    return next(r for r in data["indicators"] if r["name"] == PERSON_DAYS)


# ------------------------------------------------------------------------------ status flow


def test_it_declares_a_framework_before_its_year_starts(demo_2024, users):
    future = services.framework_copy(source=demo_2024, year=2027, acting_user=users["admin"])
    assert future.status == Framework.Status.DRAFT
    declared = services.framework_declare(framework=future, acting_user=users["finance_officer"])
    declared.refresh_from_db()
    assert declared.status == Framework.Status.DECLARED
    assert declared.declared_by == users["finance_officer"] and declared.declared_at


def test_it_refuses_to_declare_twice_or_without_lines(demo_2024, users, station):
    services.framework_declare(framework=demo_2024, acting_user=users["finance_officer"])
    with pytest.raises(ValidationError, match="只有草稿"):
        services.framework_declare(framework=demo_2024, acting_user=users["finance_officer"])
    empty = services.framework_create(station=station, year=2028, acting_user=users["admin"])
    with pytest.raises(ValidationError, match="没有指标"):
        services.framework_declare(framework=empty, acting_user=users["finance_officer"])


def test_a_declared_framework_stays_editable_until_approved(demo_2024, users):
    services.framework_declare(framework=demo_2024, acting_user=users["finance_officer"])
    indicator = demo_2024.indicators.get(name=PERSON_DAYS)
    services.indicator_save(
        framework=Framework.objects.get(pk=demo_2024.pk),
        indicator=indicator,
        acting_user=users["finance_officer"],
        target="7000",
    )
    assert demo_2024.indicators.get(name=PERSON_DAYS).target == "7000"


def test_only_the_finance_officer_records_the_approval(demo_2024, users):
    services.framework_declare(framework=demo_2024, acting_user=users["finance_officer"])
    for role in ("supervisor", "bureau_supervisor", "station_staff"):
        with pytest.raises(PermissionDenied):
            services.framework_approve(
                framework=demo_2024,
                approved_on=date(2024, 1, 20),
                document_number="株民财〔2024〕3号",
                acting_user=users[role],
            )
    assert Framework.objects.get(pk=demo_2024.pk).status == Framework.Status.DECLARED
    approved = declare_and_approve_again(demo_2024, users)
    assert approved.status == Framework.Status.APPROVED
    assert (approved.approved_on, approved.approval_document) == (
        date(2024, 1, 20),
        "株民财〔2024〕3号",
    )
    assert approved.approved_by == users["finance_officer"]
    # Each line keeps the target the bureau approved.
    assert {i.declared_target for i in approved.indicators.all()} == {
        i.target for i in approved.indicators.all()
    }


def declare_and_approve_again(framework, users):
    return services.framework_approve(
        framework=framework,
        approved_on=date(2024, 1, 20),
        document_number="株民财〔2024〕3号",
        acting_user=users["finance_officer"],
    )


def test_approval_needs_a_declaration_and_a_document_number(demo_2024, users):
    with pytest.raises(ValidationError, match="申报"):
        declare_and_approve_again(demo_2024, users)
    services.framework_declare(framework=demo_2024, acting_user=users["finance_officer"])
    with pytest.raises(ValidationError, match="文号"):
        services.framework_approve(
            framework=demo_2024,
            approved_on=date(2024, 1, 20),
            document_number="  ",
            acting_user=users["finance_officer"],
        )


# ------------------------------------------------------------------- locked and adjusted


def test_a_locked_target_is_not_edited_directly(demo_2024, users):
    framework = declare_and_approve(demo_2024, users)
    indicator = framework.indicators.get(name=PERSON_DAYS)
    with pytest.raises(ValidationError, match=r"已批复.*调整"):
        services.indicator_save(
            framework=framework,
            indicator=indicator,
            acting_user=users["finance_officer"],
            target="6000",
        )
    with pytest.raises(ValidationError, match="不能再增加或删除"):
        services.indicator_delete(indicator=indicator, acting_user=users["finance_officer"])
    with pytest.raises(ValidationError, match="不能再增加或删除"):
        services.indicator_save(
            framework=framework, acting_user=users["finance_officer"], name="新指标"
        )
    assert framework.indicators.get(name=PERSON_DAYS).target == "7500"
    # What the evaluation needs after the year stays open: the notes, the weight.
    services.indicator_save(
        framework=framework,
        indicator=framework.indicators.get(name=PERSON_DAYS),
        acting_user=users["finance_officer"],
        target="7500",
        deviation="原因",
        weight=Decimal(3),
    )
    assert framework.indicators.get(name=PERSON_DAYS).deviation == "原因"


def test_the_goals_of_approved_targets_stay_as_approved(demo_2024, users, client_for):
    framework = declare_and_approve(demo_2024, users)
    with pytest.raises(ValidationError, match="目标已批复"):
        services.framework_update(
            framework=framework, acting_user=users["finance_officer"], expected_goals="改写"
        )
    services.framework_update(
        framework=framework, acting_user=users["finance_officer"], achieved_goals="完成情况"
    )
    page = client_for("finance_officer").get(
        reverse("performance:framework_edit", args=[framework.pk])
    )
    assert page.context["form"].fields["expected_goals"].disabled


def test_an_adjustment_needs_a_reason_and_an_approved_target(demo_2024, users):
    with pytest.raises(ValidationError, match="尚未批复"):
        adjust(demo_2024, users)
    framework = declare_and_approve(demo_2024, users)
    with pytest.raises(ValidationError, match="说明调整"):
        adjust(framework, users, reason="  ")
    with pytest.raises(ValidationError, match="批复之后"):
        services.indicator_target_adjust(
            indicator=framework.indicators.get(name=PERSON_DAYS),
            target="6000",
            reason="下调",
            adjusted_on=date(2024, 1, 1),
            acting_user=users["finance_officer"],
        )
    assert not IndicatorAdjustment.objects.exists()
    assert framework.indicators.get(name=PERSON_DAYS).target == "7500"


def test_an_adjustment_keeps_the_approved_target_its_reason_and_date(demo_2024, users):
    framework = declare_and_approve(demo_2024, users)
    adjustment = adjust(framework, users)
    indicator = framework.indicators.get(name=PERSON_DAYS)
    assert (indicator.target, indicator.declared_target) == ("6000", "7500")
    assert (adjustment.previous_target, adjustment.target) == ("7500", "6000")
    assert adjustment.reason == "上级下调年度任务"
    assert adjustment.adjusted_on == date(2024, 7, 1)
    assert adjustment.adjusted_by == users["finance_officer"]
    assert indicator.history.first().history_change_reason == "上级下调年度任务"


# ------------------------------------------------------------------ the self-evaluation


def test_the_form_prints_both_targets_where_they_differ(demo_2024, users):
    adjust(declare_and_approve(demo_2024, users), users)
    report = compute_report(Framework.objects.get(pk=demo_2024.pk))
    row = next(r for r in report.rows if r.name == PERSON_DAYS)
    assert row.printed_target == "原≥7500，调整为≥6000"
    # Scored on the adjusted target: 3 × 5577 ÷ 6000 = 2.79 → 2.8.
    assert row.score == "2.8"
    others = [r for r in report.rows if r.name != PERSON_DAYS]
    assert not any("调整为" in r.printed_target for r in others)


def test_the_form_page_and_its_sheet_print_both_targets(demo_2024, users, client_for):
    adjust(declare_and_approve(demo_2024, users), users)
    page = client_for("finance_officer").get(reverse("performance:form", args=[demo_2024.pk]))
    assert "原≥7500，调整为≥6000" in page.content.decode()
    response = client_for("finance_officer").get(reverse("performance:xlsx", args=[demo_2024.pk]))
    sheet = load_workbook(BytesIO(response.content)).active
    assert "原≥7500，调整为≥6000" in [c.value for row in sheet.iter_rows() for c in row]


def test_the_json_carries_the_declared_target_beside_the_target(demo_2024, users):
    before = evaluation_json()
    for row in before["indicators"]:
        assert row["declared_target"] == row["target"]
    assert list(person_days_row(before))[4:6] == ["target", "declared_target"]

    adjust(declare_and_approve(demo_2024, users), users)
    after = evaluation_json()
    assert {k: person_days_row(after)[k] for k in ("target", "declared_target")} == {
        "target": "6000",
        "declared_target": "7500",
    }
    # Declaring and approving change no figure: only the adjusted line and the total move.
    changed = [
        r["name"] for r, s in zip(before["indicators"], after["indicators"], strict=True) if r != s
    ]
    assert changed == [PERSON_DAYS]


def test_an_unadjusted_demo_keeps_its_figures(demo_2024, users):
    before = evaluation_json()
    declare_and_approve(demo_2024, users)
    assert evaluation_json() == before
    assert before["total"] == "99.2"


# ------------------------------------------------------------------------- the 绩效目标表


def test_the_page_shows_every_line_of_the_targets(demo_2024, client_for):
    response = client_for("finance_officer").get(
        reverse("performance:declaration", args=[demo_2024.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2024年度部门（单位）整体支出绩效目标表" in html
    for indicator in demo_2024.indicators.all():
        for text in (indicator.level1, indicator.level2, indicator.name, indicator.unit):
            assert text in html
        sign = {">=": "≥", "<=": "≤", "qualitative": "定性", "period": "时效"}
        assert sign.get(indicator.comparator, indicator.comparator) in html
        assert f'<td class="num">{indicator.target}</td>' in html


def test_the_targets_show_the_approved_target_and_list_adjustments(demo_2024, users, client_for):
    adjust(declare_and_approve(demo_2024, users), users)
    html = (
        client_for("bureau_supervisor")
        .get(reverse("performance:declaration", args=[demo_2024.pk]))
        .content.decode()
    )
    assert '<td class="num">7500</td>' in html  # the target as approved
    assert "株民财〔2024〕3号" in html and "上级下调年度任务" in html and "≥6000" in html


def test_the_targets_as_pdf(demo_2024, client_for):
    response = client_for("finance_officer").get(
        reverse("performance:declaration_file", args=[demo_2024.pk, "pdf"])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_targets_as_excel(demo_2024, client_for):
    response = client_for("finance_officer").get(
        reverse("performance:declaration_file", args=[demo_2024.pk, "xlsx"])
    )
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    values = [c.value for c in cells]
    assert values[0] == "2024年度部门（单位）整体支出绩效目标表"
    for indicator in demo_2024.indicators.all():
        assert indicator.name in values and indicator.target in values
    # The "=" of an exact target is text, never a formula.
    equals = [c for c in cells if c.value == "="]
    assert equals and all(c.data_type == "s" for c in equals)


def test_another_format_is_not_found(demo_2024, client_for):
    response = client_for("finance_officer").get(
        reverse("performance:declaration_file", args=[demo_2024.pk, "doc"])
    )
    assert response.status_code == 404


# ------------------------------------------------------------------------------- the pages


def test_it_declares_approves_and_adjusts_through_the_pages(demo_2024, client_for):
    client = client_for("finance_officer")
    framework = Framework.objects.get(pk=demo_2024.pk)
    client.post(
        reverse("performance:declaration_declare", args=[framework.pk]),
        {"version": framework.version},
    )
    framework.refresh_from_db()
    assert framework.status == Framework.Status.DECLARED
    client.post(
        reverse("performance:declaration_approve", args=[framework.pk]),
        {
            "version": framework.version,
            "approved_on": "2024-01-20",
            "approval_document": "株民财〔2024〕3号",
        },
    )
    framework.refresh_from_db()
    assert framework.status == Framework.Status.APPROVED
    indicator = framework.indicators.get(name=PERSON_DAYS)
    url = reverse("performance:indicator_adjust", args=[framework.pk, indicator.pk])
    refused = client.post(
        url,
        {"version": indicator.version, "target": "6000", "reason": "", "adjusted_on": "2024-07-01"},
    )
    assert refused.status_code == 200 and not IndicatorAdjustment.objects.exists()
    client.post(
        url,
        {
            "version": indicator.version,
            "target": "6000",
            "reason": "上级下调",
            "adjusted_on": "2024-07-01",
        },
    )
    assert framework.indicators.get(name=PERSON_DAYS).target == "6000"


def test_the_edit_page_of_a_locked_line_keeps_its_target(demo_2024, users, client_for):
    framework = declare_and_approve(demo_2024, users)
    indicator = framework.indicators.get(name=PERSON_DAYS)
    url = reverse("performance:indicator_edit", args=[framework.pk, indicator.pk])
    client = client_for("finance_officer")
    assert 'name="target"' in client.get(url).content.decode()
    client.post(
        url,
        {
            "version": indicator.version,
            "order": indicator.order,
            "target": "1",
            "weight": "3",
            "metric_key": indicator.metric_key,
            "deviation": "原因",
        },
    )
    indicator.refresh_from_db()
    assert (indicator.target, indicator.deviation) == ("7500", "原因")


def test_a_supervisor_cannot_record_the_approval(demo_2024, users, client_for):
    services.framework_declare(framework=demo_2024, acting_user=users["finance_officer"])
    framework = Framework.objects.get(pk=demo_2024.pk)
    response = client_for("supervisor").post(
        reverse("performance:declaration_approve", args=[framework.pk]),
        {"version": framework.version, "approved_on": "2024-01-20", "approval_document": "x"},
    )
    assert response.status_code == 403
    page = client_for("supervisor").get(reverse("performance:declaration", args=[framework.pk]))
    assert page.status_code == 200 and 'data-testid="approve"' not in page.content.decode()
    assert (
        client_for("finance_officer")
        .get(reverse("performance:declaration", args=[framework.pk]))
        .content.decode()
        .count('data-testid="approve"')
    )


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("declaration", "get"),
        ("declaration_declare", "post"),
        ("declaration_approve", "post"),
    ],
)
def test_the_pages_require_a_login_and_a_role(demo_2024, client_for, client, name, method):
    url = reverse(f"performance:{name}", args=[demo_2024.pk])
    assert getattr(client, method)(url).status_code == 302
    assert getattr(client_for("minors_worker"), method)(url).status_code == 403


def test_the_adjust_page_requires_the_change_permission(demo_2024, users, client_for):
    framework = declare_and_approve(demo_2024, users)
    indicator = framework.indicators.get(name=PERSON_DAYS)
    url = reverse("performance:indicator_adjust", args=[framework.pk, indicator.pk])
    assert client_for("bureau_supervisor").get(url).status_code == 403
    assert client_for("finance_officer").get(url).status_code == 200


def test_a_finalised_form_keeps_both_targets_in_its_frozen_figures(demo_2024, users):
    demo_2024.indicators.filter(name="生活无着流浪乞讨救助对象及未成年人满意度").update(
        weight=Decimal(10)
    )
    adjust(declare_and_approve(demo_2024, users), users)
    evaluation = services.evaluation_finalise(
        framework=Framework.objects.get(pk=demo_2024.pk), acting_user=users["supervisor"]
    )
    frozen = person_days_row(evaluation.snapshot["evaluation"])
    assert (frozen["target"], frozen["declared_target"]) == ("6000", "7500")
    assert person_days_row(evaluation_json()) == frozen
    row = next(r for r in Report.from_snapshot(evaluation.snapshot).rows if r.name == PERSON_DAYS)
    assert row.printed_target == "原≥7500，调整为≥6000"


def test_a_snapshot_frozen_before_declarations_reads_its_target_as_declared(demo_2024):
    snapshot = compute_report(demo_2024).to_snapshot()
    for row in snapshot["report"]["rows"]:
        del row["declared_target"]
    data = Report.from_snapshot(snapshot).to_json()
    assert all(r["declared_target"] == r["target"] for r in data["indicators"])


def test_another_stations_targets_are_not_found(other_station, users, client_for):
    theirs = services.framework_create(station=other_station, year=2024, acting_user=users["admin"])
    line = Indicator.objects.create(
        framework=theirs,
        level1="产出指标",
        level2="数量指标",
        name="街面巡查救助次数",
        comparator="gte",
        target="150",
        unit="次",
        weight=Decimal("10"),
    )
    client = client_for("finance_officer")  # a member of the test station only
    for name, method, args, data in [
        ("declaration", "get", [theirs.pk], {}),
        ("declaration_file", "get", [theirs.pk, "pdf"], {}),
        ("declaration_file", "get", [theirs.pk, "xlsx"], {}),
        ("declaration_declare", "post", [theirs.pk], {"version": theirs.version}),
        (
            "declaration_approve",
            "post",
            [theirs.pk],
            {"version": theirs.version, "approved_on": "2024-01-20", "approval_document": "x"},
        ),
        ("indicator_adjust", "get", [theirs.pk, line.pk], {}),
    ]:
        url = reverse(f"performance:{name}", args=args)
        assert getattr(client, method)(url, data).status_code == 404, name
    theirs.refresh_from_db()
    assert theirs.status == Framework.Status.DRAFT
