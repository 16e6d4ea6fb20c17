"""`manage.py monitoring`: the form of a year as of a date, as JSON, PDF and XLSX."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from performance.services import monitoring_notes_set, monitoring_send
from tests.performance.monitoring_factories import (
    SEASON_2023,
    SEASON_2024,
    budget_line,
    framework_2024,
    stays_by_month,
)

ARGS = ["--station", "zhuzhou", "--year", "2024", "--as-of", "2024-06-30"]


@pytest.fixture
def framework(station, users, monkeypatch):
    monkeypatch.setattr("rescue_station.selectors.local_today", lambda: date(2025, 3, 1))
    stays_by_month(station, 2023, SEASON_2023)
    stays_by_month(station, 2024, SEASON_2024)
    budget_line(station, 2024, "1000000.00", [(date(2024, 3, 1), "600000.00")])
    return framework_2024(station, users)


def _json(*extra: str) -> dict:
    out = StringIO()
    call_command("monitoring", *ARGS, "--format", "json", *extra, stdout=out)
    return json.loads(out.getvalue())


def test_the_json_is_the_form_of_the_design(framework):
    data = _json()
    assert list(data) == [
        "station",
        "station_name",
        "year",
        "as_of",
        "time_share",
        "state",
        "budget",
        "indicators",
        "forecast_total",
        "forecast_grade",
    ]
    assert (data["station"], data["station_name"], data["year"]) == (
        "zhuzhou",
        "株洲市救助管理站",
        2024,
    )
    assert (data["as_of"], data["time_share"], data["state"]) == ("2024-06-30", "49.73", "draft")
    budget = data["budget"]
    assert list(budget) == [
        "adjusted",
        "executed",
        "rate",
        "projected_rate",
        "status",
        "forecast_score",
        "sources",
        "projects",
    ]
    assert (budget["adjusted"], budget["executed"], budget["rate"]) == ("100.00", "60.00", "60.00")
    assert (budget["projected_rate"], budget["status"], budget["forecast_score"]) == (
        "100",
        "on_track",
        "10.0",
    )
    assert budget["sources"] == [
        {
            "name": "一般公共预算",
            "adjusted": "100.00",
            "executed": "60.00",
            "rate": "60.00",
            "status": "on_track",
        }
    ]
    assert budget["projects"] == []
    first = data["indicators"][0]
    assert list(first) == [
        "level1",
        "level2",
        "name",
        "comparator",
        "target",
        "unit",
        "weight",
        "actual",
        "projected",
        "status",
        "forecast_score",
        "cause",
        "measure",
    ]
    assert {k: first[k] for k in ("name", "comparator", "target", "weight")} == {
        "name": "救助人次数",
        "comparator": ">=",
        "target": "120",
        "weight": "40",
    }
    assert (first["actual"], first["projected"], first["status"]) == ("30", "120", "on_track")
    assert (first["forecast_score"], first["cause"], first["measure"]) == ("40.0", "", "")
    person_days = data["indicators"][1]
    # 120 projected of 150: 40 × 120 / 150 = 32.0, 80% of the weight → at risk
    assert (person_days["projected"], person_days["forecast_score"]) == ("120", "32.0")
    assert person_days["status"] == "at_risk"
    assert data["forecast_total"] == "92.0"
    assert data["forecast_grade"] == "优"


def test_the_json_goes_to_a_file_and_says_sent_once_sent(framework, users, tmp_path):
    monitoring_notes_set(
        framework=framework,
        acting_user=users["finance_officer"],
        notes={framework.indicators.get(name="救助人天次").pk: ("高峰在下半年。", "加强巡查。")},
    )
    monitoring_send(
        framework=framework, as_of=date(2024, 6, 30), acting_user=users["finance_officer"]
    )
    target = tmp_path / "monitoring.json"
    call_command("monitoring", *ARGS, "--format", "json", "--output", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["state"] == "sent"
    out = StringIO()
    call_command("monitoring", *ARGS[:4], "--as-of", "2024-06-29", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["state"] == "draft"


def test_the_pdf_is_the_form_with_its_chinese_text(framework, users, tmp_path):
    monitoring_notes_set(
        framework=framework,
        acting_user=users["finance_officer"],
        notes={
            framework.indicators.get(name="救助人天次").pk: ("下半年为求助高峰。", "加强街面巡查。")
        },
    )
    target = tmp_path / "monitoring.pdf"
    call_command("monitoring", *ARGS, "--format", "pdf", "--output", str(target))
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "2024年度部门（单位）整体支出绩效运行监控表" in text
    assert "株洲市救助管理站" in text and "49.73%" in text
    assert "下半年为求助高峰" in text and "预计总分" in text


def test_the_xlsx_is_the_form_as_a_sheet_without_formulas(framework, tmp_path):
    target = tmp_path / "monitoring.xlsx"
    call_command("monitoring", *ARGS, "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(BytesIO(target.read_bytes())).active
    cells = {c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "2024年度部门（单位）整体支出绩效运行监控表" in cells
    assert "救助人次数" in cells and "确定能" in cells and "截至2024-06-30" in cells
    targets = [c for row in sheet.iter_rows() for c in row if c.value == "=100"]
    assert targets and all(c.data_type == "s" for c in targets)  # a printed target, not a formula


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--station", "nowhere", "--year", "2024", "--as-of", "2024-06-30"], "unknown station"),
        (["--station", "zhuzhou", "--year", "2024", "--as-of", "2023-06-30"], "not a day of"),
        (["--station", "zhuzhou", "--year", "2024", "--as-of", "30/06/2024"], "not an ISO date"),
        (["--station", "zhuzhou", "--year", "2025", "--as-of", "2025-06-30"], "still to come"),
        (["--station", "zhuzhou", "--year", "2023", "--as-of", "2023-06-30"], "no framework"),
    ],
)
def test_it_refuses_what_it_cannot_answer(framework, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("monitoring", *args, "--format", "json", stdout=StringIO())
