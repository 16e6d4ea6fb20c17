"""The report's outputs, all drawn from one ``Report``: standalone HTML, PDF (WeasyPrint), XLSX."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rescue_station.spreadsheets import print_setup, put_text

from .report import Report

STATIC = Path(__file__).resolve().parent / "static" / "performance"
STYLESHEETS = ("form.css", "pdf.css")


def report_css() -> str:
    return "\n".join((STATIC / name).read_text(encoding="utf-8") for name in STYLESHEETS)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def report_header(report: Report) -> str:
    header = f"{report.station_name} · {report.year}年度整体支出绩效自评报告"
    return header if report.is_final else header + "（草稿）"


def render_html(report: Report) -> str:
    """The whole report as one standalone HTML document (narrative, then the form)."""
    return render_to_string(
        "performance/report_pdf.html",
        {
            "report": report,
            "inline_css": report_css() + "\n" + page_header_css(report_header(report)),
        },
    )


def page_header_css(header: str) -> str:
    """``header`` in every printed page's header (the text comes from the data)."""
    return f"@page {{ @top-center {{ content: {_css_string(header)}; }} }}"


def pdf_bytes(html: str, stylesheets: tuple[str, ...], header: str) -> bytes:
    """A printed form through WeasyPrint: the app's ``stylesheets``, ``header`` on every page,
    the Noto CJK fonts embedded as subsets."""
    from weasyprint import CSS, HTML

    sheets = [CSS(filename=str(STATIC / name)) for name in stylesheets]
    sheets.append(CSS(string=page_header_css(header)))
    return HTML(string=html, base_url=str(STATIC)).write_pdf(stylesheets=sheets)


def render_pdf(report: Report) -> bytes:
    """The report on A4."""
    html = render_to_string("performance/report_pdf.html", {"report": report})
    return pdf_bytes(html, STYLESHEETS, report_header(report))


# ------------------------------------------------------------------------------------- XLSX

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
WIDTHS = (6, 10, 12, 34, 11, 11, 7, 7, 50)


def _number(text: str | None) -> Decimal | str | None:
    """A decimal string as a number for the cell; a word stays text."""
    if text is None or text == "":
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


class FormGrid:
    """A printed form's sheet: bordered cells whose text is stored as written ("=100" is a
    printed target, not a formula: text, shown without a quote), and merged blocks."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet

    def put(
        self,
        r: int,
        c: int,
        value: Any,
        fmt: str | None = None,
        bold: bool = False,
        align: Alignment = CENTER,
    ) -> Cell:
        cell = put_text(self.sheet.cell(row=r, column=c), value)
        cell.alignment = align
        cell.border = BORDER
        if fmt and isinstance(value, Decimal):
            cell.number_format = fmt
        if bold:
            cell.font = Font(bold=True)
        return cell

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        for rr in range(r1, r2 + 1):
            for cc in range(c1, c2 + 1):
                self.sheet.cell(row=rr, column=cc).border = BORDER
        if (r1, c1) != (r2, c2):
            self.sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def score_format(places: int) -> str:
    return "0" if places == 0 else "0." + "0" * places


def render_xlsx(report: Report) -> Workbook:
    """The form as a sheet: the grid of the HTML form, its merged cells and number formats."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{report.year}年度自评表"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    score_fmt = score_format(report.places)
    row = 0

    grid = FormGrid(sheet)
    put, merge = grid.put, grid.merge

    row += 1
    put(row, 1, f"{report.year}年度部门（单位）整体支出绩效自评表", bold=True)
    sheet.cell(row=row, column=1).font = Font(bold=True, size=14)
    merge(row, 1, row, 9)
    row += 1
    put(row, 1, "市级预算部门（单位）名称", bold=True)
    merge(row, 1, row, 2)
    put(row, 3, report.station_name, align=LEFT)
    merge(row, 3, row, 9)

    # Funds block
    row += 1
    funds_top = row
    put(row, 1, "年度预算申请（万元）", bold=True)
    merge(row, 2, row, 3)
    for col, label in enumerate(
        ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], 4
    ):
        put(row, col, label, bold=True)
    row += 1
    put(row, 2, "年度资金总额", bold=True)
    merge(row, 2, row, 3)
    budget = report.budget
    put(row, 4, _number(budget.initial), "0.00")
    put(row, 5, _number(budget.adjusted), "0.00")
    put(row, 6, _number(budget.executed), "0.00")
    put(row, 7, _number(budget.weight), "General")
    put(row, 8, _number(budget.rate), "0.00")
    put(row, 9, _number(budget.score), score_fmt)
    row += 1
    put(row, 2, "按收入性质分：", align=LEFT)
    merge(row, 2, row, 5)
    put(row, 6, "按支出性质分：", align=LEFT)
    merge(row, 6, row, 9)
    for index, (source, nature) in enumerate(report.funds_rows):
        row += 1
        prefix = "其中：" if index == 0 else ""
        put(row, 2, f"{prefix}{source[0]}：{source[1]}" if source else "", align=LEFT)
        merge(row, 2, row, 5)
        put(row, 6, f"{prefix}{nature[0]}：{nature[1]}" if nature else "", align=LEFT)
        merge(row, 6, row, 9)
    merge(funds_top, 1, row, 1)

    # Goals block
    row += 1
    put(row, 1, "年度总体目标", bold=True)
    put(row, 2, "预期目标", bold=True)
    merge(row, 2, row, 5)
    put(row, 6, "实际完成情况", bold=True)
    merge(row, 6, row, 9)
    row += 1
    put(row, 2, report.expected_goals, align=LEFT)
    merge(row, 2, row, 5)
    put(row, 6, report.achieved_goals, align=LEFT)
    merge(row, 6, row, 9)
    sheet.row_dimensions[row].height = 15 * max(
        4, report.expected_goals.count("\n") + 2, len(report.expected_goals) // 30
    )
    merge(row - 1, 1, row, 1)

    # Indicator table
    row += 1
    table_top = row
    put(row, 1, "绩效指标", bold=True)
    headers = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    for col, label in enumerate([*headers, "偏差原因分析及改进措施"], 2):
        put(row, col, label, bold=True)
    for group in report.groups():
        for item in group["rows"]:
            row += 1
            r = item["row"]
            if item["l1_span"]:
                declared = f"\n({group['declared']}分)" if group["declared"] else ""
                put(row, 2, f"{group['level1']}{declared}", bold=True)
                merge(row, 2, row + item["l1_span"] - 1, 2)
            if item["l2_span"]:
                put(row, 3, r.level2)
                merge(row, 3, row + item["l2_span"] - 1, 3)
            put(row, 4, r.name, align=LEFT)
            put(row, 5, r.printed_target)
            put(row, 6, _number(r.actual), "General")
            put(row, 7, _number(r.weight), "General")
            put(row, 8, _number(r.score), score_fmt)
            put(row, 9, r.note, align=LEFT)
    merge(table_top, 1, row, 1)
    row += 1
    put(row, 1, "总分", bold=True)
    merge(row, 1, row, 6)
    put(row, 7, Decimal(100), "General")
    put(row, 8, _number(report.total), score_fmt)
    put(row, 9, f"等级：{report.grade}")
    if report.acknowledgements:
        row += 2
        put(row, 1, "已确认的问题（本表在存在已确认问题的情况下定稿）", bold=True, align=LEFT)
        merge(row, 1, row, 9)
        for a in report.acknowledgements:
            row += 1
            where = f"{'、'.join(a.lines)}：" if a.lines else ""
            put(row, 1, f"{where}{a.message}", align=LEFT)
            merge(row, 1, row, 5)
            put(row, 6, f"确认说明：{a.text}（{a.by}，{a.at}）", align=LEFT)
            merge(row, 6, row, 9)
    # As the PDF's form: landscape, the indicator table's header again on each page; the title
    # and the unit's name stay in view on screen.
    print_setup(sheet, orientation="landscape", header_rows=(table_top, table_top), freeze="A3")
    return workbook
