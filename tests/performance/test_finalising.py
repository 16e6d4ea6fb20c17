"""Finalising freezes the report; re-opening is a recorded act of a supervisor."""

import hashlib
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from performance.models import Evaluation
from performance.services import evaluation_finalise, evaluation_reopen


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def command_json() -> dict:
    out = StringIO()
    call_command("evaluation_report", "--station", "zhuzhou", "--year", "2024", stdout=out)
    return json.loads(out.getvalue())


def correct_weights(framework):
    framework.indicators.filter(name="生活无着流浪乞讨救助对象及未成年人满意度").update(
        weight=Decimal(10)
    )


def test_the_printed_table_cannot_be_finalised(demo_2024, users):
    with pytest.raises(ValidationError, match="一级指标权重与申报的不一致"):
        evaluation_finalise(framework=demo_2024, acting_user=users["supervisor"])
    assert not Evaluation.objects.get(framework=demo_2024).is_final


def test_changing_inputs_after_finalising_changes_neither_json_nor_pdf(
    demo_2024, users, seed_metrics, seed_budget, tmp_path
):
    correct_weights(demo_2024)
    evaluation = evaluation_finalise(framework=demo_2024, acting_user=users["supervisor"])
    frozen = command_json()
    assert frozen["status"] == "final" and frozen["total"] == "99.2"
    sha = evaluation.pdf_sha256
    assert hashlib.sha256(evaluation.pdf.read()).hexdigest() == sha

    # Later: a record changes (fewer person-days), a target and the funds block too.
    seed_metrics["cases.person_days"] = Decimal(100)
    demo_2024.indicators.filter(name="护送返乡人数").update(target="500")
    seed_budget["block"] = None  # would fail if the budget were read again

    assert command_json() == frozen
    out = tmp_path / "again.pdf"
    call_command(
        "evaluation_report",
        "--station",
        "zhuzhou",
        "--year",
        "2024",
        "--format",
        "pdf",
        "--output",
        str(out),
    )
    assert hashlib.sha256(out.read_bytes()).hexdigest() == sha
    evaluation.refresh_from_db()
    assert evaluation.pdf_sha256 == sha


def test_reopening_is_recorded_and_computes_again(demo_2024, users, seed_metrics):
    correct_weights(demo_2024)
    evaluation_finalise(framework=demo_2024, acting_user=users["supervisor"])
    seed_metrics["cases.person_days"] = Decimal(3750)
    with pytest.raises(ValidationError):
        evaluation_reopen(framework=demo_2024, acting_user=users["supervisor"], reason=" ")
    evaluation = evaluation_reopen(
        framework=demo_2024, acting_user=users["supervisor"], reason="预算数据更正"
    )
    assert evaluation.status == "draft" and evaluation.reopened_by == users["supervisor"]
    assert evaluation.history.first().history_change_reason == "预算数据更正"
    data = command_json()
    assert data["status"] == "draft"
    assert data["indicators"][0]["score"] == "1.5"


def test_the_finalised_page_shows_the_hash_and_refuses_changes(demo_2024, users, client_for):
    correct_weights(demo_2024)
    supervisor = client_for("supervisor")
    response = supervisor.post(reverse("performance:finalise", args=[demo_2024.pk]))
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(framework=demo_2024)
    page = supervisor.get(reverse("performance:form", args=[demo_2024.pk])).content.decode()
    assert evaluation.pdf_sha256 in page
    finance = client_for("finance_officer")
    response = finance.post(reverse("performance:form", args=[demo_2024.pk]), {})
    assert response.status_code == 403
    pdf = finance.get(reverse("performance:pdf", args=[demo_2024.pk]))
    assert hashlib.sha256(pdf.content).hexdigest() == evaluation.pdf_sha256


@pytest.mark.parametrize("role", ["finance_officer", "bureau_supervisor", "station_staff"])
def test_only_a_supervisor_finalises_or_reopens(role, demo_2024, client_for):
    client = client_for(role)
    assert client.post(reverse("performance:finalise", args=[demo_2024.pk])).status_code == 403
    assert client.post(reverse("performance:reopen", args=[demo_2024.pk])).status_code == 403


def test_a_supervisor_reopens_through_the_page(demo_2024, users, client_for):
    correct_weights(demo_2024)
    evaluation_finalise(framework=demo_2024, acting_user=users["supervisor"])
    client = client_for("supervisor")
    url = reverse("performance:reopen", args=[demo_2024.pk])
    client.post(url, {"reason": ""})
    assert Evaluation.objects.get(framework=demo_2024).is_final
    client.post(url, {"reason": "更正"})
    evaluation = Evaluation.objects.get(framework=demo_2024)
    assert not evaluation.is_final and evaluation.reopen_reason == "更正"


def test_a_finalised_year_offers_no_edit_page_and_shows_its_lines_as_text(
    demo_2024, users, client_for
):
    correct_weights(demo_2024)
    evaluation_finalise(framework=demo_2024, acting_user=users["supervisor"])
    indicator = demo_2024.indicators.first()
    finance = client_for("finance_officer")
    framework_url = reverse("performance:framework", args=[demo_2024.pk])
    for name, args in [
        ("performance:framework_edit", [demo_2024.pk]),
        ("performance:indicator_add", [demo_2024.pk]),
        ("performance:indicator_edit", [demo_2024.pk, indicator.pk]),
        ("performance:narrative", [demo_2024.pk]),
        ("performance:framework_import", [demo_2024.pk]),
    ]:
        response = finance.get(reverse(name, args=args))
        assert response.status_code == 302 and response.url == framework_url, name
    response = finance.post(
        reverse("performance:indicator_delete", args=[demo_2024.pk, indicator.pk])
    )
    assert response.status_code == 302 and demo_2024.indicators.filter(pk=indicator.pk).exists()
    page = finance.get(framework_url, follow=False).content.decode()
    assert "/edit/" not in page and "<form" not in page.split("<main", 1)[1].split("history")[0]
    form_page = finance.get(reverse("performance:form", args=[demo_2024.pk])).content.decode()
    assert 'data-testid="save-notes"' not in form_page
    assert (
        "需由站长重新打开"
        in finance.get(
            reverse("performance:framework_edit", args=[demo_2024.pk]), follow=True
        ).content.decode()
    )
