"""Next year's framework from this one; the framework out to Excel and back."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from performance.models import Evaluation, Framework
from performance.selectors import copy_preview
from performance.services import framework_create
from rescue_station.spreadsheets import workbook_bytes


def test_the_copy_shows_the_actuals_on_record_and_suggests_targets(demo_2024):
    years, lines = copy_preview(demo_2024)
    assert years == [2024]
    by_name = {line.indicator.name: line for line in lines}
    person_days = by_name["流浪乞讨救助人次数"]
    assert person_days.actuals == [(2024, "5577")]
    assert person_days.suggested == "5577"
    assert by_name["留守、困境儿童关爱保护人数"].suggested == "1912"
    assert by_name["患有疾病的流浪乞讨救助对象收治率"].suggested == "100"


def test_the_finance_officer_starts_a_new_year_from_the_copy_page(demo_2024, client_for, station):
    Evaluation.objects.filter(framework__year=2026).delete()
    Framework.objects.filter(year=2026).delete()
    client = client_for("finance_officer")
    url = reverse("performance:framework_copy", args=[demo_2024.pk])
    page = client.get(url)
    assert page.status_code == 200 and "5577" in page.content.decode()
    form = page.context["form"]
    data = {"year": 2026} | {
        name: field.initial for name, field in form.fields.items() if name != "year"
    }
    response = client.post(url, data)
    assert response.status_code == 302
    new = Framework.objects.get(station=station, year=2026)
    assert new.indicators.get(name="流浪乞讨救助人次数").target == "5577"


@pytest.mark.parametrize("role", ["supervisor", "station_staff"])
def test_only_the_finance_officer_copies_or_imports(role, demo_2024, client_for):
    client = client_for(role)
    assert client.get(reverse("performance:framework_copy", args=[demo_2024.pk])).status_code == 403
    assert (
        client.get(reverse("performance:framework_import", args=[demo_2024.pk])).status_code == 403
    )


def test_other_stations_frameworks_are_not_found(demo_2024, client_for, other_station, users):
    other = framework_create(station=other_station, year=2024, acting_user=users["admin"])
    client = client_for("finance_officer")
    for name in ["framework_copy", "framework_export", "framework_import"]:
        assert client.get(reverse(f"performance:{name}", args=[other.pk])).status_code == 404
    assert Client().get(reverse("performance:framework_export", args=[other.pk])).status_code == 302


def _export(client, framework) -> bytes:
    response = client.get(reverse("performance:framework_export", args=[framework.pk]))
    assert response.status_code == 200
    return response.content


def test_a_framework_goes_out_to_excel_and_back(demo_2024, client_for, station, users):
    client = client_for("finance_officer")
    data = _export(client, demo_2024)
    target = framework_create(station=station, year=2030, acting_user=users["finance_officer"])
    url = reverse("performance:framework_import", args=[target.pk])
    preview = client.post(url, {"file": SimpleUploadedFile("f.xlsx", data)})
    assert preview.status_code == 200 and preview.context["result"].ok
    assert not target.indicators.exists()  # the preview saves nothing
    response = client.post(url, {"token": preview.context["token"]})
    assert response.status_code == 302
    rows = list(
        target.indicators.values_list("name", "comparator", "target", "weight", "metric_key")
    )
    expected = list(
        demo_2024.indicators.values_list("name", "comparator", "target", "weight", "metric_key")
    )
    assert rows == expected


def test_a_bad_sheet_imports_nothing_and_names_its_errors(demo_2024, client_for):
    client = client_for("finance_officer")
    workbook = load_workbook(BytesIO(_export(client, demo_2024)))
    sheet = workbook.active
    sheet["E2"] = "≥"
    sheet["H3"] = "abc"
    before = list(demo_2024.indicators.values_list("comparator", "weight"))
    url = reverse("performance:framework_import", args=[demo_2024.pk])
    response = client.post(url, {"file": SimpleUploadedFile("f.xlsx", workbook_bytes(workbook))})
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert (2, "类型") in errors and (3, "分值") in errors
    assert "token" not in response.context
    assert list(demo_2024.indicators.values_list("comparator", "weight")) == before


def test_a_period_line_moves_with_the_year(demo_2024):
    _years, lines = copy_preview(demo_2024)
    line = next(x for x in lines if x.indicator.name == "流浪乞讨人员救助工作期间")
    assert line.suggested == "2025"
