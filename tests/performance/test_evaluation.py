"""The 2024 evaluation through the command equals the seed line by line (test metrics in place)."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo.seed_2024 import INDICATORS_2024
from performance.models import Framework
from performance.selectors import compute_report

from .seed_figures import ACTUALS_2024, SCORES_2024


def report_json(year=2024, station="zhuzhou") -> dict:
    out = StringIO()
    call_command(
        "evaluation_report",
        "--station",
        station,
        "--year",
        str(year),
        "--format",
        "json",
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_the_2024_evaluation_equals_the_seed_line_by_line(demo_2024):
    data = report_json()
    assert data["station"] == "zhuzhou" and data["station_name"] == "株洲市救助管理站"
    assert (data["year"], data["status"], data["places"]) == (2024, "draft", 1)
    assert data["budget"] == {
        "initial": "720.16",
        "adjusted": "1083.17",
        "executed": "1082.78",
        "rate": "99.96",
        "weight": "10",
        "score": "10.0",
    }
    rows = {r["name"]: r for r in data["indicators"]}
    assert len(rows) == len(INDICATORS_2024) == 21
    for spec in INDICATORS_2024:
        row = rows[spec["name"]]
        assert row["comparator"] == spec["comparator"]
        assert row["target"] == spec["target"]
        assert row["weight"] == spec["weight"]
        assert row["source"] == spec["source"]
        expected_score = Decimal(SCORES_2024.get(spec["name"], spec["weight"]))
        assert Decimal(row["score"]) == expected_score, spec["name"]
        if spec["source"] == "manual":
            assert row["actual"] == spec["actual_text"]
        else:
            assert Decimal(row["actual"]) == Decimal(ACTUALS_2024[spec["source"]])
        assert row["deviation"] == spec.get("deviation", "")
    first = data["indicators"][0]
    assert first["score"] == "2.2" and first["deviation"] and first["measure"]
    assert rows["安全事故发生率"]["target"] == "0"
    assert (data["total"], data["grade"]) == ("99.2", "优")
    assert [(f["severity"], f["code"], f["lines"]) for f in data["findings"]] == [
        ("error", "weights.level1_mismatch", ["满意度指标"]),
        ("error", "weights.total", []),
        ("warning", "target.far_exceeded", ["留守、困境儿童关爱保护人数"]),
        ("warning", "target.far_exceeded", ["留守、困境儿童关爱保护活动场次"]),
    ]
    assert all(f["message"] for f in data["findings"])


def test_the_json_keys_are_exactly_those_of_the_design(demo_2024):
    data = report_json()
    assert list(data) == [
        "station",
        "station_name",
        "year",
        "status",
        "places",
        "budget",
        "indicators",
        "total",
        "grade",
        "findings",
    ]
    assert list(data["indicators"][0]) == [
        "level1",
        "level2",
        "name",
        "comparator",
        "target",
        "declared_target",  # issue 14: the approved target beside the (adjusted) one
        "unit",
        "actual",
        "source",
        "weight",
        "score",
        "deviation",
        "measure",
    ]


def test_an_unregistered_metric_is_an_actual_missing_error(demo_2024):
    Framework.objects.get(year=2024).indicators.filter(name="护送返乡人数").update(
        metric_key="cases.nothing_like_this"
    )
    data = report_json()
    row = next(r for r in data["indicators"] if r["name"] == "护送返乡人数")
    assert row["actual"] is None and row["score"] is None
    finding = next(f for f in data["findings"] if f["code"] == "actual.missing")
    assert finding["lines"] == ["护送返乡人数"] and "cases.nothing_like_this" in finding["message"]


def test_the_rows_follow_the_official_order(demo_2024):
    report = compute_report(demo_2024)
    assert [g["level1"] for g in report.groups()] == [
        "产出指标",
        "效益指标",
        "满意度指标",
        "成本指标",
    ]
    assert report.groups()[0]["rows"][0]["l2_span"] == 7
    assert report.groups()[0]["rows"][0]["l1_span"] == 17


def test_the_2025_framework_has_its_weights_corrected(demo_2024):
    data = report_json(2025)
    codes = {f["code"] for f in data["findings"]}
    assert "weights.total" not in codes and "weights.level1_mismatch" not in codes


def test_the_command_refuses_an_unknown_station_or_year(demo_2024):
    with pytest.raises(CommandError):
        report_json(station="nowhere")
    with pytest.raises(CommandError):
        report_json(year=1999)


def test_the_demo_loads_twice_without_duplicates(demo_2024, station, users):
    from datetime import date

    from demo import performance as demo

    demo.load(station=station, users=users, today=date(2026, 11, 26))
    assert Framework.objects.filter(station=station).count() == 3
    assert demo_2024.indicators.count() == 21
