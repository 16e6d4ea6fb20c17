"""Every exporter: its file name and content type, the finalised evaluation served from what was
frozen, and no formula from text in any workbook. The exporters come from the code's own list
(the subclasses of ``Exporter``), so that a new one fails here until it is covered."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from budget.exporters import ExecutionXLSX
from budget.models import Nature
from cases.exporters import RecordListXLSX, StayListXLSX
from cases.models import Person, Stay, StreetPatrol
from cases.statistics import station_statistics
from dashboards.exporters import StatisticsJSON, StatisticsPDF, StatisticsXLSX
from performance import exporters as performance_exporters
from performance.exporters import (
    DeclarationPDF,
    DeclarationXLSX,
    EvaluationHTML,
    EvaluationJSON,
    EvaluationPDF,
    EvaluationXLSX,
    FrameworkXLSX,
    MonitoringJSON,
    MonitoringPDF,
    MonitoringXLSX,
    evaluation_export,
)
from performance.models import Indicator
from performance.services import evaluation_finalise, framework_create
from rescue_station.exporting import (
    Export,
    Exporter,
    XlsxExporter,
    export_response,
    workbook_export,
)
from rescue_station.spreadsheets import XLSX_CONTENT_TYPE, put_text, workbook_bytes

# The apps' fixtures this module needs (each app's conftest only serves its own folder).
from tests.budget.conftest import make_line, make_project, reference, spend  # noqa: F401
from tests.performance.conftest import demo_2024, seed_budget, seed_metrics  # noqa: F401

FORMULA = "=1+1"
TODAY = date(2024, 7, 1)
AS_OF = date(2024, 6, 30)


def concrete_exporters() -> set[type[Exporter]]:
    found, todo = set(), [Exporter]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if "identifier" in vars(sub) and sub.__module__.split(".")[0] != "tests":
                found.add(sub)
    return found


def formulas(content: bytes) -> list[str]:
    """The cells that a spreadsheet would run: formulas, or formula-like text not quoted."""
    workbook = load_workbook(BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
        or (
            isinstance(cell.value, str)
            and cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
            and not cell.quotePrefix
        )
    ]


def texts(content: bytes) -> set[str]:
    workbook = load_workbook(BytesIO(content))
    return {
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


@pytest.fixture
def hostile_framework(station, users):
    """A framework whose only line is written in formulas."""
    station.name = FORMULA + "站"
    station.save()
    framework = framework_create(station=station, year=2024, acting_user=users["admin"])
    Indicator.objects.create(
        framework=framework,
        level1="=产出指标",
        level2="+数量指标",
        name=FORMULA,
        comparator="qualitative",
        target="@提升",
        unit="-次",
        weight=Decimal("1"),
        manual_actual="=提升",
        deviation="-1",
        measure="@SUM(1)",
    )
    return framework


@pytest.fixture
def hostile_stays(station, make_stay):
    make_stay(
        station, date(2024, 5, 1), person=Person.objects.create(station=station, name=FORMULA)
    )
    return Stay.objects.filter(station=station).select_related("person")


@pytest.fixture
def hostile_patrols(station):
    StreetPatrol.objects.create(station=station, patrol_date=date(2024, 1, 5), area=FORMULA)
    return StreetPatrol.objects.filter(station=station)


@pytest.fixture
def hostile_budget(station, make_line, make_project, spend):  # noqa: F811
    project = make_project(station, 2024, name=FORMULA, basis_document="-1+1")
    line = make_line(
        station, 2024, nature=Nature.PROJECT, project=project, adjusted="10", description="+1"
    )
    spend(line, "1.00", voucher=FORMULA)
    return station


# Each exporter over a source holding formula-like text, with the file name it must give.
CASES = {
    EvaluationJSON: (
        lambda f: EvaluationJSON(f["framework"]),
        "2024年度=1+1站整体支出绩效自评报告.json",
        "application/json; charset=utf-8",
    ),
    EvaluationHTML: (
        lambda f: EvaluationHTML(f["framework"]),
        "2024年度=1+1站整体支出绩效自评报告.html",
        "text/html; charset=utf-8",
    ),
    EvaluationPDF: (
        lambda f: EvaluationPDF(f["framework"]),
        "2024年度=1+1站整体支出绩效自评报告.pdf",
        "application/pdf",
    ),
    EvaluationXLSX: (
        lambda f: EvaluationXLSX(f["framework"]),
        "2024年度部门（单位）整体支出绩效自评表.xlsx",
        XLSX_CONTENT_TYPE,
    ),
    DeclarationPDF: (
        lambda f: DeclarationPDF(f["framework"]),
        "2024年度=1+1站整体支出绩效目标表.pdf",
        "application/pdf",
    ),
    DeclarationXLSX: (
        lambda f: DeclarationXLSX(f["framework"]),
        "2024年度=1+1站整体支出绩效目标表.xlsx",
        XLSX_CONTENT_TYPE,
    ),
    FrameworkXLSX: (
        lambda f: FrameworkXLSX(f["framework"]),
        "2024年度绩效指标-=1+1站.xlsx",
        XLSX_CONTENT_TYPE,
    ),
    MonitoringJSON: (
        lambda f: MonitoringJSON(f["framework"], AS_OF),
        "2024年度=1+1站绩效运行监控表（截至2024-06-30）.json",
        "application/json; charset=utf-8",
    ),
    MonitoringPDF: (
        lambda f: MonitoringPDF(f["framework"], AS_OF),
        "2024年度=1+1站绩效运行监控表（截至2024-06-30）.pdf",
        "application/pdf",
    ),
    MonitoringXLSX: (
        lambda f: MonitoringXLSX(f["framework"], AS_OF),
        "2024年度=1+1站绩效运行监控表（截至2024-06-30）.xlsx",
        XLSX_CONTENT_TYPE,
    ),
    StayListXLSX: (
        lambda f: StayListXLSX(f["stays"], show_minors=True, today=TODAY),
        "救助记录-20240701.xlsx",
        XLSX_CONTENT_TYPE,
    ),
    RecordListXLSX: (
        lambda f: RecordListXLSX(f["patrols"], show_minors=True, today=TODAY),
        "streetpatrol-20240701.xlsx",
        XLSX_CONTENT_TYPE,
    ),
    ExecutionXLSX: (
        lambda f: ExecutionXLSX(f["station"], 2024, today=TODAY),
        "=1+1站2024年度预算执行情况表.xlsx",
        XLSX_CONTENT_TYPE,
    ),
    **{
        exporter: (
            lambda f, exporter=exporter: exporter(
                station_statistics(f["station"], date(2024, 1, 1), date(2024, 12, 31)),
                filled_by=FORMULA,
                filled_on=TODAY,
            ),
            f"=1+1站-统计表-20240101-20241231.{exporter.extension}",
            content_type,
        )
        for exporter, content_type in (
            (StatisticsJSON, "application/json; charset=utf-8"),
            (StatisticsPDF, "application/pdf"),
            (StatisticsXLSX, XLSX_CONTENT_TYPE),
        )
    },
}


@pytest.fixture
def sources(hostile_framework, hostile_stays, hostile_patrols, hostile_budget):
    return {
        "framework": hostile_framework,
        "stays": hostile_stays,
        "patrols": hostile_patrols,
        "station": hostile_budget,
    }


def test_it_covers_every_exporter():
    assert concrete_exporters() == set(CASES)


@pytest.mark.parametrize("exporter", list(CASES), ids=lambda cls: cls.__name__)
def test_it_names_each_export_and_writes_no_formula(exporter, sources):
    build, filename, content_type = CASES[exporter]
    export = build(sources).render()
    assert (export.filename, export.content_type) == (filename, content_type)
    assert export.filename.endswith("." + exporter.extension)
    assert export.content
    if issubclass(exporter, XlsxExporter):
        assert formulas(export.content) == []
        assert any(FORMULA in text for text in texts(export.content))  # the text is kept


def test_a_list_export_counts_its_records(sources):
    assert StayListXLSX(sources["stays"], show_minors=True, today=TODAY).render().rows == 1
    assert ExecutionXLSX(sources["station"], 2024, today=TODAY).render().rows is None


def test_a_finalised_evaluation_answers_from_its_snapshot_and_stored_pdf(
    demo_2024,  # noqa: F811
    users,
    seed_metrics,  # noqa: F811
    seed_budget,  # noqa: F811
):
    demo_2024.indicators.filter(name="生活无着流浪乞讨救助对象及未成年人满意度").update(
        weight=Decimal(10)
    )
    evaluation = evaluation_finalise(framework=demo_2024, acting_user=users["supervisor"])
    before = {fmt: evaluation_export(demo_2024, fmt) for fmt in ("json", "html", "pdf", "xlsx")}
    assert hashlib.sha256(before["pdf"].content).hexdigest() == evaluation.pdf_sha256
    assert json.loads(before["json"].content) == evaluation.snapshot["evaluation"]

    # Later: a record changes, a target and the funds block too.
    seed_metrics["cases.person_days"] = Decimal(100)
    demo_2024.indicators.filter(name="护送返乡人数").update(target="500")
    seed_budget["block"] = None  # would fail if the budget were read again

    after = {fmt: evaluation_export(demo_2024, fmt) for fmt in ("json", "html", "pdf", "xlsx")}
    for fmt in ("json", "html", "pdf"):
        assert after[fmt] == before[fmt], fmt
    assert texts(after["xlsx"].content) == texts(before["xlsx"].content)


def test_a_draft_evaluation_follows_the_records(demo_2024, seed_metrics):  # noqa: F811
    before = json.loads(evaluation_export(demo_2024, "json").content)
    seed_metrics["cases.person_days"] = Decimal(100)
    assert json.loads(evaluation_export(demo_2024, "json").content) != before


def test_every_workbook_is_guarded_on_its_way_to_bytes():
    workbook = Workbook()
    workbook.active["A1"] = FORMULA  # written without the guard: openpyxl takes it as a formula
    put_text(workbook.active["B1"], "=100")  # a printed target, kept as written
    sheet = load_workbook(BytesIO(workbook_bytes(workbook))).active
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("'" + FORMULA, "s")
    assert (sheet["B1"].value, sheet["B1"].data_type, sheet["B1"].quotePrefix) == (
        "=100",
        "s",
        True,
    )


def test_the_response_carries_both_file_names():
    response = export_response(workbook_export(Workbook(), "救助台账-2024.xlsx"))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        "attachment; filename=\"-2024.xlsx\"; filename*=UTF-8''"
        "%E6%95%91%E5%8A%A9%E5%8F%B0%E8%B4%A6-2024.xlsx"
    )
    shown = export_response(Export("报告.json", "application/json", b"{}", inline=True))
    assert shown["Content-Disposition"].startswith('inline; filename="export.json"')
    named = export_response(Export("报告.pdf", "application/pdf", b"%PDF", ascii_filename="r.pdf"))
    assert 'filename="r.pdf"' in named["Content-Disposition"]


def test_the_evaluation_formats_are_the_commands_choices():
    from performance.management.commands.evaluation_report import Command

    parser = Command().create_parser("manage.py", "evaluation_report")
    choices = next(a.choices for a in parser._actions if a.dest == "format")
    assert list(choices) == list(performance_exporters.EVALUATION_EXPORTERS)
