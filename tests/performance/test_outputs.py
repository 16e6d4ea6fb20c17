"""The PDF, the XLSX and the HTML of the 2024 evaluation say what its JSON says."""

import json
import os
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext") or not shutil.which("pdffonts"),
    reason="poppler-utils (pdftotext, pdffonts) are not installed",
)


def run_command(tmp_path, fmt: str) -> bytes:
    target = tmp_path / f"report.{fmt}"
    call_command(
        "evaluation_report",
        "--station",
        "zhuzhou",
        "--year",
        "2024",
        "--format",
        fmt,
        "--output",
        str(target),
        stdout=StringIO(),
    )
    return target.read_bytes()


def test_the_pdf_is_real_searchable_chinese_with_an_embedded_cjk_font(demo_2024, tmp_path):
    data = run_command(tmp_path, "pdf")
    assert data.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    if os.environ.get("KEEP_REPORT_PDF"):
        shutil.copy(path, os.environ["KEEP_REPORT_PDF"])
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "株洲市救助管理站" in text
    assert "流浪乞讨救助人次数" in text
    assert "99.2" in text
    assert "2024年度部门（单位）整体支出绩效自评表" in text
    assert "第1页" in text.replace(" ", "")  # page numbers
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    cjk = [line for line in fonts if "CJK" in line]
    assert cjk, fonts
    assert all(" yes " in line.split("CJK", 1)[1] for line in cjk)  # emb yes


def test_the_xlsx_cells_equal_the_json(demo_2024, tmp_path):
    data = json.loads(run_command(tmp_path, "json"))
    sheet = load_workbook(BytesIO(run_command(tmp_path, "xlsx"))).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][0] == "2024年度部门（单位）整体支出绩效自评表"
    assert cells[1][2] == "株洲市救助管理站"
    funds = next(r for r in cells if r[1] == "年度资金总额")
    budget = data["budget"]
    assert [Decimal(str(v)) for v in funds[3:9]] == [
        Decimal(budget[k]) for k in ("initial", "adjusted", "executed", "weight", "rate", "score")
    ]
    header = next(i for i, r in enumerate(cells) if r[1] == "一级指标")
    rows = cells[header + 1 : header + 1 + len(data["indicators"])]
    level1 = level2 = None
    for cell_row, line in zip(rows, data["indicators"], strict=True):
        level1 = cell_row[1] or level1
        level2 = cell_row[2] or level2
        assert level1.split("\n")[0] == line["level1"]
        assert level2 == line["level2"]
        assert cell_row[3] == line["name"]
        assert str(cell_row[5]) == line["actual"] or Decimal(str(cell_row[5])) == Decimal(
            line["actual"]
        )
        assert Decimal(str(cell_row[6])) == Decimal(line["weight"])
        assert Decimal(str(cell_row[7])) == Decimal(line["score"])
        assert (cell_row[8] or "") == "\n".join(
            t for t in (line["deviation"], line["measure"]) if t
        )
    total = cells[header + 1 + len(data["indicators"])]
    assert total[0] == "总分" and Decimal(str(total[7])) == Decimal(data["total"])
    merged = {str(r) for r in sheet.merged_cells.ranges}
    first = header + 2  # Excel rows are 1-based
    assert f"B{first}:B{first + 16}" in merged  # 产出指标 over its 17 rows
    assert f"C{first}:C{first + 6}" in merged  # 数量指标 over 7 rows
    assert sheet.cell(row=first, column=5).value == "≥7500"
    assert sheet.cell(row=first + 9, column=5).value == "=100"  # text, not a formula
    assert sheet.cell(row=first, column=8).number_format == "0.0"


def test_the_html_is_one_standalone_document_with_the_form(demo_2024, tmp_path):
    html = run_command(tmp_path, "html").decode()
    assert '<html lang="zh-CN">' in html
    assert "年度预算申请（万元）" in html and "产出指标<br>(40分)" in html
    assert "99.2" in html
