"""The 绩效目标表's files, drawn from one ``Declaration``: PDF (WeasyPrint) and XLSX."""

from __future__ import annotations

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from rescue_station.spreadsheets import print_setup

from .declaration import Declaration
from .rendering import CENTER, LEFT, FormGrid, pdf_bytes

STYLESHEETS = ("form.css", "declaration.css", "declaration_pdf.css")


def render_pdf(declaration: Declaration) -> bytes:
    """The form on A4."""
    html = render_to_string("performance/declaration_pdf.html", {"declaration": declaration})
    header = f"{declaration.station_name} · {declaration.year}年度整体支出绩效目标表"
    if not declaration.is_approved:
        header += f"（{declaration.status_label}）"
    return pdf_bytes(html, STYLESHEETS, header)


WIDTHS = (8, 12, 14, 36, 9, 12, 10)


def render_xlsx(declaration: Declaration) -> Workbook:
    """The form as a sheet: the grid of the printed form, every text cell guarded against being
    run as a formula (a target such as "=100" is stored as text)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{declaration.year}年度绩效目标表"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    row = 0

    grid = FormGrid(sheet)
    put, merge = grid.put, grid.merge

    row += 1
    put(row, 1, f"{declaration.year}年度部门（单位）整体支出绩效目标表").font = Font(
        bold=True, size=14
    )
    merge(row, 1, row, 7)
    row += 1
    put(row, 1, "部门（单位）名称", bold=True)
    merge(row, 1, row, 2)
    put(row, 3, declaration.station_name, align=LEFT)
    merge(row, 3, row, 7)

    row += 1
    funds_top = row
    put(row, 1, "年度预算申请（万元）", bold=True)
    put(row, 2, "年度资金总额", bold=True)
    merge(row, 2, row, 3)
    put(row, 4, declaration.amount)
    merge(row, 4, row, 7)
    row += 1
    put(row, 2, "按收入性质分：", align=LEFT)
    merge(row, 2, row, 4)
    put(row, 5, "按支出性质分：", align=LEFT)
    merge(row, 5, row, 7)
    for index, (source, nature) in enumerate(declaration.funds_rows):
        row += 1
        prefix = "其中：" if index == 0 else ""
        put(row, 2, f"{prefix}{source[0]}：{source[1]}" if source else "", align=LEFT)
        merge(row, 2, row, 4)
        put(row, 5, f"{prefix}{nature[0]}：{nature[1]}" if nature else "", align=LEFT)
        merge(row, 5, row, 7)
    merge(funds_top, 1, row, 1)

    for label, text in (
        ("长期目标", declaration.long_term_goals),
        ("年度目标", declaration.annual_goals),
    ):
        row += 1
        put(row, 1, label, bold=True)
        put(row, 2, text, align=LEFT)
        merge(row, 2, row, 7)
        sheet.row_dimensions[row].height = 15 * max(3, text.count("\n") + 2, len(text) // 40)

    row += 1
    table_top = row
    put(row, 1, "绩效指标", bold=True)
    for col, label in enumerate(
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"], 2
    ):
        put(row, col, label, bold=True)
    for group in declaration.groups():
        for item in group["rows"]:
            row += 1
            r = item["row"]
            if item["l1_span"]:
                put(row, 2, group["level1"], bold=True)
                merge(row, 2, row + item["l1_span"] - 1, 2)
            if item["l2_span"]:
                put(row, 3, r.level2)
                merge(row, 3, row + item["l2_span"] - 1, 3)
            put(row, 4, r.name, align=LEFT)
            put(row, 5, r.kind_label)
            put(row, 6, r.target)
            put(row, 7, r.unit)
    merge(table_top, 1, row, 1)

    row += 1
    status = f"状态：{declaration.status_label}"
    if declaration.declared_on:
        status += f"　申报日期：{declaration.declared_on}"
    if declaration.is_approved:
        status += (
            f"　批复日期：{declaration.approved_on}　批复文号：{declaration.approval_document}"
        )
    put(row, 1, status, align=LEFT)
    merge(row, 1, row, 7)
    if declaration.adjustments:
        row += 2
        put(row, 1, "绩效目标调整情况", bold=True)
        merge(row, 1, row, 7)
        row += 1
        for col, label in enumerate(
            ["三级指标", "原指标值", "调整后指标值", "调整原因", "调整日期", "经办人"], 2
        ):
            put(row, col, label, bold=True)
        for a in declaration.adjustments:
            row += 1
            for col, value in enumerate(
                [a.name, a.previous, a.target, a.reason, a.adjusted_on, a.by], 2
            ):
                put(row, col, value, align=LEFT if col in (2, 5) else CENTER)
    print_setup(sheet, orientation="portrait", header_rows=(table_top, table_top), freeze="A3")
    return workbook
