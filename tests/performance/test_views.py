"""Access per view, and what the pages do."""

import pytest
from django.test import Client
from django.urls import reverse

from performance.models import Evaluation, Framework, Indicator
from performance.services import framework_create

PAGES = ["framework", "framework_edit", "indicator_add", "form", "pdf", "xlsx", "json", "narrative"]
# Who may open each page (view: every role holding performance view; edit: finance officer).
READERS = {"finance_officer", "supervisor", "bureau_supervisor", "admin"}
EDITORS = {"finance_officer", "admin"}
EDIT_PAGES = {"framework_edit", "indicator_add", "narrative"}


@pytest.fixture
def other_framework(other_station, users):
    return framework_create(station=other_station, year=2024, acting_user=users["admin"])


def test_anonymous_users_are_sent_to_the_login_page(demo_2024):
    for name in PAGES:
        response = Client().get(reverse(f"performance:{name}", args=[demo_2024.pk]))
        assert response.status_code == 302 and "/login/" in response["Location"], name
    response = Client().get(reverse("performance:index"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "role",
    [
        "station_staff",
        "minors_worker",
        "finance_officer",
        "supervisor",
        "bureau_supervisor",
        "admin",
    ],
)
def test_each_role_reaches_only_its_pages(role, demo_2024, client_for):
    client = client_for(role)
    allowed_index = role in READERS
    assert (client.get(reverse("performance:index")).status_code == 200) is allowed_index
    for name in PAGES:
        response = client.get(reverse(f"performance:{name}", args=[demo_2024.pk]))
        allowed = role in (EDITORS if name in EDIT_PAGES else READERS)
        assert response.status_code == (200 if allowed else 403), (role, name)


def test_another_stations_framework_answers_404(demo_2024, other_framework, client_for):
    client = client_for("finance_officer")
    for name in PAGES:
        response = client.get(reverse(f"performance:{name}", args=[other_framework.pk]))
        assert response.status_code == 404, name
    indicator_url = reverse("performance:indicator_edit", args=[demo_2024.pk, 10**6])
    assert client.get(indicator_url).status_code == 404


def test_an_indicator_of_another_framework_answers_404(demo_2024, client_for):
    other = Framework.objects.get(station=demo_2024.station, year=2025)
    indicator = other.indicators.first()
    url = reverse("performance:indicator_edit", args=[demo_2024.pk, indicator.pk])
    assert client_for("finance_officer").get(url).status_code == 404


def test_the_form_page_shows_the_official_layout(demo_2024, client_for):
    response = client_for("finance_officer").get(reverse("performance:form", args=[demo_2024.pk]))
    html = response.content.decode()
    for text in [
        "年度预算申请（万元）",
        "年度总体目标",
        "产出指标<br>(40分)",
        "≥7500",
        "5577",
        "99.2",
        "等级：优",
    ]:
        assert text in html, text
    assert "一级指标权重与申报的不一致" in html and "weights.level1_mismatch" not in html


def test_the_finance_officer_writes_a_deviation_note(demo_2024, client_for):
    indicator = demo_2024.indicators.get(name="护送返乡人数")
    client = client_for("finance_officer")
    data = {f"deviation-{i.pk}": i.deviation for i in demo_2024.indicators.all()}
    data |= {f"measure-{i.pk}": i.measure for i in demo_2024.indicators.all()}
    data |= {f"version-{i.pk}": i.version for i in demo_2024.indicators.all()}
    data[f"deviation-{indicator.pk}"] = "返乡意愿增加"
    response = client.post(reverse("performance:form", args=[demo_2024.pk]), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.deviation == "返乡意愿增加"
    assert indicator.history.first().history_user.username == "finance_officer"


def test_a_supervisor_cannot_write_notes(demo_2024, client_for):
    response = client_for("supervisor").post(reverse("performance:form", args=[demo_2024.pk]), {})
    assert response.status_code == 403


def test_the_finance_officer_adds_an_indicator_picking_a_metric(demo_2024, client_for):
    client = client_for("finance_officer")
    url = reverse("performance:indicator_add", args=[demo_2024.pk])
    page = client.get(url).content.decode()
    assert "cases.person_days" in page  # the registry's metrics are offered
    response = client.post(
        url,
        {
            "order": 30,
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "新指标",
            "comparator": ">=",
            "target": "10",
            "unit": "人",
            "weight": "1",
            "metric_key": "cases.escorted_home",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Indicator.objects.get(name="新指标").metric_key == "cases.escorted_home"


def test_a_bad_indicator_changes_nothing(demo_2024, client_for):
    url = reverse("performance:indicator_add", args=[demo_2024.pk])
    response = client_for("finance_officer").post(
        url,
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "x",
            "comparator": ">=",
            "target": "≥10",
            "weight": "1",
        },
    )
    assert response.status_code == 200
    assert not Indicator.objects.filter(name="x").exists()


def test_the_finance_officer_edits_the_declared_weights(demo_2024, client_for):
    url = reverse("performance:framework_edit", args=[demo_2024.pk])
    response = client_for("finance_officer").post(
        url,
        {
            "declared_text": "预算执行率 10\n产出指标 40\n效益指标 20\n满意度指标 20\n成本指标 10",
            "places": 1,
            "far_exceeded_threshold": "1.5",
            "version": demo_2024.version,
        },
    )
    assert response.status_code == 302
    demo_2024.refresh_from_db()
    assert demo_2024.declared_weights["满意度指标"] == "20"


def test_a_new_framework_copies_last_years_lines(demo_2024, client_for, station):
    Evaluation.objects.filter(framework__station=station, framework__year=2026).delete()
    Framework.objects.filter(station=station, year=2026).delete()
    response = client_for("finance_officer").post(
        reverse("performance:framework_create"), {"year": 2026, "copy_from": demo_2024.pk}
    )
    assert response.status_code == 302
    new = Framework.objects.get(station=station, year=2026)
    assert new.indicators.count() == 21
    assert new.indicators.get(name="流浪乞讨人员救助工作期间").target == "2026"
    assert not new.indicators.exclude(deviation="").exists()


def test_removing_an_indicator_takes_the_finance_officer_and_its_station(
    demo_2024, client_for, other_framework
):
    indicator = demo_2024.indicators.get(name="护送返乡人数")
    url = reverse("performance:indicator_delete", args=[demo_2024.pk, indicator.pk])
    assert Client().post(url).status_code == 302  # to the login page
    assert client_for("supervisor").post(url).status_code == 403
    other_url = reverse("performance:indicator_delete", args=[other_framework.pk, indicator.pk])
    assert client_for("finance_officer").post(other_url).status_code == 404
    assert demo_2024.indicators.filter(pk=indicator.pk).exists()
    assert (
        client_for("finance_officer").post(url, {"version": indicator.version}).status_code == 302
    )
    assert not demo_2024.indicators.filter(pk=indicator.pk).exists()


def test_creating_a_framework_takes_the_finance_officer(demo_2024, client_for):
    url = reverse("performance:framework_create")
    assert client_for("supervisor").post(url, {"year": 2031}).status_code == 403
    assert client_for("finance_officer").post(url, {"year": 2031}).status_code == 302
    response = client_for("finance_officer").post(url, {"year": 2031})
    assert response.status_code == 400  # the year exists already: nothing created twice
    assert Framework.objects.filter(year=2031).count() == 1


def test_a_line_that_lost_points_asks_for_its_reason_on_its_page(demo_2024, client_for):
    indicator = demo_2024.indicators.get(name="流浪乞讨救助人次数")
    indicator.deviation = ""
    indicator.save()
    url = reverse("performance:indicator_edit", args=[demo_2024.pk, indicator.pk])
    html = client_for("finance_officer").get(url).content.decode()
    assert 'class="notice" data-testid="line-score"' in html
    assert "5577" in html and "2.2" in html


@pytest.fixture
def evidence_line(demo_2024, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    line = demo_2024.indicators.filter(metric_key="").first()
    line.evidence_file.save("台账.pdf", ContentFile("%PDF-1.4\n% 全年工作台账\n".encode()))
    return line


def test_it_serves_an_evidence_file_to_readers_of_the_station(evidence_line, client_for):
    url = reverse(
        "performance:indicator_evidence", args=[evidence_line.framework_id, evidence_line.pk]
    )
    response = client_for("supervisor").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "%PDF-1.4\n% 全年工作台账\n".encode()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert client_for("station_staff").get(url).status_code == 403


def test_it_hides_an_evidence_file_from_another_station(evidence_line, make_user, other_station):
    client = Client()
    client.force_login(make_user("finance_officer", other_station, username="elsewhere"))
    url = reverse(
        "performance:indicator_evidence", args=[evidence_line.framework_id, evidence_line.pk]
    )
    assert client.get(url).status_code == 404


def test_a_line_without_a_file_has_no_evidence_download(demo_2024, client_for):
    line = demo_2024.indicators.exclude(metric_key="").first()
    url = reverse("performance:indicator_evidence", args=[demo_2024.pk, line.pk])
    assert client_for("finance_officer").get(url).status_code == 404
