"""A draft says it is one; a finalised report carries its day and the digest of its figures."""

import shutil
import subprocess
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from performance.models import Evaluation
from performance.rendering import render_pdf
from performance.report import snapshot_digest
from performance.selectors import compute_report, evaluation_report
from performance.services import evaluation_finalise, evaluation_reopen

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())  # CJK text is broken across lines by the layout


def finalise(framework, user):
    framework.indicators.filter(name="生活无着流浪乞讨救助对象及未成年人满意度").update(
        weight=Decimal(10)
    )
    return evaluation_finalise(framework=framework, acting_user=user)


@needs_poppler
def test_it_marks_a_draft_pdf_in_words_and_lists_its_open_findings(demo_2024, tmp_path):
    report = compute_report(demo_2024)
    assert report.findings  # the seed's draft: its weights do not add up
    text = pdf_text(render_pdf(report), tmp_path)
    assert "草稿" in text
    assert "草稿中尚未解决的问题" in text
    for finding in report.findings:
        assert "".join(finding.message.split())[:20] in text
    assert "定稿日期" not in text


@needs_poppler
def test_it_prints_the_finalising_day_and_the_snapshot_digest_in_the_stored_pdf(
    demo_2024, users, tmp_path
):
    evaluation = finalise(demo_2024, users["supervisor"])
    evaluation.refresh_from_db()  # the digest holds for the figures as the database gives them
    assert evaluation.snapshot_sha256 == snapshot_digest(evaluation.snapshot)
    text = pdf_text(evaluation.pdf.read(), tmp_path)
    day = evaluation.finalised_at.astimezone().date()
    assert f"定稿日期：{day.isoformat()}" in text or f"定稿日期:{day.isoformat()}" in text
    assert evaluation.snapshot_sha256 in text
    assert "草稿" not in text
    report = evaluation_report(demo_2024)
    assert report.snapshot_sha256 == evaluation.snapshot_sha256
    assert report.finalised_on == day.isoformat()


def test_the_digest_does_not_depend_on_the_order_of_keys():
    assert snapshot_digest({"a": 1, "b": [1, "二"]}) == snapshot_digest({"b": [1, "二"], "a": 1})
    assert snapshot_digest({"a": 1}) != snapshot_digest({"a": 2})


def test_reopening_drops_the_digest_with_the_pdf(demo_2024, users):
    finalise(demo_2024, users["supervisor"])
    evaluation = evaluation_reopen(
        framework=demo_2024, acting_user=users["supervisor"], reason="数据更正"
    )
    assert evaluation.snapshot_sha256 == "" and evaluation.pdf_sha256 == ""
    assert evaluation.history.filter(snapshot_sha256__regex=r"^[0-9a-f]{64}$").exists()


def test_the_page_shows_the_digest_and_whether_the_stored_figures_still_match_it(
    demo_2024, users, client_for
):
    evaluation = finalise(demo_2024, users["supervisor"])
    client = client_for("finance_officer")
    url = reverse("performance:form", args=[demo_2024.pk])
    page = client.get(url).content.decode()
    assert evaluation.snapshot_sha256 in page and 'data-testid="seal-broken"' not in page

    # Someone edits the frozen figures in the database behind the app's back.
    snapshot = evaluation.snapshot
    snapshot["evaluation"]["total"] = "100"
    Evaluation.objects.filter(pk=evaluation.pk).update(snapshot=snapshot)
    assert 'data-testid="seal-broken"' in client.get(url).content.decode()


def test_finalising_asks_for_confirmation_first(demo_2024, client_for):
    page = client_for("supervisor").get(reverse("performance:form", args=[demo_2024.pk]))
    assert 'data-testid="finalise" data-confirm="确定定稿？' in page.content.decode()


def test_it_fills_the_digest_of_reports_finalised_before_it_was_kept(demo_2024, users):
    evaluation = finalise(demo_2024, users["supervisor"])
    Evaluation.objects.filter(pk=evaluation.pk).update(snapshot_sha256="")
    import_module("performance.migrations.0006_fill_snapshot_digest").fill(apps, None)
    evaluation.refresh_from_db()
    assert evaluation.snapshot_sha256 == snapshot_digest(evaluation.snapshot)


def test_findings_show_their_name_and_their_code_only_to_an_administrator(
    demo_2024, users, client_for, make_user, station
):
    url = reverse("performance:form", args=[demo_2024.pk])
    page = client_for("finance_officer").get(url).content.decode()
    assert "一级指标权重与申报的不一致" in page, page[page.index("findings") :][:1500]
    assert "weights.level1_mismatch" not in page
    admin = make_user("admin", station, username="root")
    admin.is_superuser = True
    admin.save()
    from django.test import Client

    client = Client()
    client.force_login(admin)
    assert "weights.level1_mismatch" in client.get(url).content.decode()
