"""A station head may finalise the form as it stands when each error is acknowledged in writing."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budget.api import BASIC, Amounts
from performance.forms import AcknowledgeForm
from performance.models import Evaluation, FindingAcknowledgement
from performance.report import Report, finding_key, snapshot_digest
from performance.selectors import compute_report, evaluation_report
from performance.services import evaluation_finalise, evaluation_reopen

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _texts(framework, text="报送时间已到，按现状报送，明年更正。"):
    return {finding_key(f.code, f.lines): text for f in compute_report(framework).errors}


def test_without_every_acknowledgement_it_is_refused_naming_what_is_missing(demo_2024, users):
    head = users["supervisor"]
    with pytest.raises(ValidationError, match=r"cannot be finalised|不能定稿"):
        evaluation_finalise(framework=demo_2024, acting_user=head)
    texts = _texts(demo_2024)
    only_one = dict(list(texts.items())[:1])
    with pytest.raises(ValidationError) as refused:
        evaluation_finalise(framework=demo_2024, acting_user=head, acknowledgements=only_one)
    assert "权重合计不等于100" in str(refused.value)
    blank = dict.fromkeys(texts, "  ")
    with pytest.raises(ValidationError):
        evaluation_finalise(framework=demo_2024, acting_user=head, acknowledgements=blank)
    assert not Evaluation.objects.get(framework=demo_2024).is_final
    assert not FindingAcknowledgement.objects.exists()


def test_with_each_error_acknowledged_it_is_final_and_says_so(demo_2024, users):
    head = users["supervisor"]
    evaluation = evaluation_finalise(
        framework=demo_2024, acting_user=head, acknowledgements=_texts(demo_2024)
    )
    assert evaluation.is_final
    records = FindingAcknowledgement.objects.filter(evaluation=evaluation)
    assert {r.code for r in records} == {"weights.total", "weights.level1_mismatch"}
    assert all(r.acknowledged_by == head and r.acknowledged_at for r in records)
    assert records.get(code="weights.level1_mismatch").subject == "满意度指标"
    assert records.first().history.first().history_user == head
    evaluation.refresh_from_db()
    acks = evaluation.snapshot["report"]["acknowledgements"]
    assert len(acks) == 2 and acks[0]["by"] == str(head) and acks[0]["text"].startswith("报送")
    assert evaluation.snapshot["evaluation"]["acknowledgements"][0]["text"].startswith("报送")
    assert evaluation.snapshot_sha256 == snapshot_digest(evaluation.snapshot)
    # The digest covers the acknowledgements: another text, another digest.
    changed = {**evaluation.snapshot, "report": {**evaluation.snapshot["report"]}}
    changed["report"]["acknowledgements"] = [{**acks[0], "text": "另一说明"}, acks[1]]
    assert snapshot_digest(changed) != evaluation.snapshot_sha256
    report = evaluation_report(demo_2024)
    assert report.finalised_with_errors
    assert Report.from_snapshot(evaluation.snapshot).acknowledgements == report.acknowledgements
    row = evaluation.history.order_by("-history_date").first()
    assert row.history_change_reason == "在存在已确认问题的情况下定稿"


def test_a_reopened_year_keeps_them_for_the_next_finalising(demo_2024, users):
    head = users["supervisor"]
    evaluation_finalise(framework=demo_2024, acting_user=head, acknowledgements=_texts(demo_2024))
    evaluation_reopen(framework=demo_2024, acting_user=head, reason="更正分值")
    # Fixed since: finalised clean, the acknowledgements of fixed errors go, none is printed.
    demo_2024.indicators.filter(level1="满意度指标").update(weight=10)
    evaluation = evaluation_finalise(framework=demo_2024, acting_user=head)
    assert evaluation.snapshot["report"]["acknowledgements"] == []
    assert not evaluation_report(demo_2024).finalised_with_errors


def test_the_page_takes_the_acknowledgements_and_prints_them(demo_2024, users, client_for):
    url = reverse("performance:form", args=[demo_2024.pk])
    page = client_for("supervisor").get(url).content.decode()
    assert 'data-testid="finalise-acknowledged"' in page
    assert (
        'data-testid="acknowledge"' not in client_for("finance_officer").get(url).content.decode()
    )
    form = AcknowledgeForm(errors=compute_report(demo_2024).errors)
    data = {"acknowledge": "1", **dict.fromkeys(form.keys, "按现状报送。")}
    response = client_for("finance_officer").post(
        reverse("performance:finalise", args=[demo_2024.pk]), data
    )
    assert response.status_code == 403
    response = client_for("supervisor").post(
        reverse("performance:finalise", args=[demo_2024.pk]), data, follow=True
    )
    page = response.content.decode()
    assert 'data-testid="finalised-with-errors"' in page
    assert "已确认的问题" in page and "按现状报送。" in page and str(users["supervisor"]) in page


def test_a_missing_text_on_the_page_is_refused_by_name(demo_2024, client_for):
    form = AcknowledgeForm(errors=compute_report(demo_2024).errors)
    first = next(iter(form.keys))
    head = client_for("supervisor")
    response = head.post(
        reverse("performance:finalise", args=[demo_2024.pk]),
        {"acknowledge": "1", first: "按现状报送。"},
        follow=True,
    )
    page = response.content.decode()
    assert "尚未确认" in page
    assert not Evaluation.objects.get(framework=demo_2024).is_final
    assert not FindingAcknowledgement.objects.exists()
    # What was typed is not lost: the refused page offers it again, once.
    assert page.count("按现状报送。") == 1
    assert f'name="{first}"' in page
    assert 'data-testid="acknowledge" open' in page
    again = head.get(reverse("performance:form", args=[demo_2024.pk]))
    assert "按现状报送。" not in again.content.decode()


@needs_poppler
def test_the_stored_pdf_prints_them(demo_2024, users, tmp_path):
    evaluation = evaluation_finalise(
        framework=demo_2024, acting_user=users["supervisor"], acknowledgements=_texts(demo_2024)
    )
    path = tmp_path / "r.pdf"
    path.write_bytes(evaluation.pdf.read())
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    text = "".join(out.stdout.split())
    assert "本表在存在已确认问题的情况下定稿" in text
    assert "已确认的问题" in text and "报送时间已到，按现状报送，明年更正。" in text
    assert str(users["supervisor"]) in text


def test_the_sheet_prints_them(demo_2024, users):
    from performance.rendering import render_xlsx

    evaluation_finalise(
        framework=demo_2024, acting_user=users["supervisor"], acknowledgements=_texts(demo_2024)
    )
    sheet = render_xlsx(evaluation_report(demo_2024)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "已确认的问题（本表在存在已确认问题的情况下定稿）" in cells
    assert sum("确认说明：报送时间已到" in c and str(users["supervisor"]) in c for c in cells) == 2


def test_each_budget_error_is_acknowledged_once(demo_2024, users, seed_budget):
    # Both sums of the total fail, and personnel + public ≠ basic: two findings, one per line.
    block = seed_budget["block"]
    natures = {**block.by_nature, BASIC: Amounts(Decimal(1), Decimal(1), Decimal(1))}
    sources = {**block.by_source, "政府性基金": Amounts()}
    seed_budget["block"] = replace(block, by_nature=natures, by_source=sources)
    evaluation = evaluation_finalise(
        framework=demo_2024, acting_user=users["supervisor"], acknowledgements=_texts(demo_2024)
    )
    records = FindingAcknowledgement.objects.filter(evaluation=evaluation, code="budget.sum")
    assert sorted(records.values_list("subject", flat=True)) == sorted(["年度资金总额", BASIC])
