"""The monitoring form's files, drawn from one ``MonitoringReport``: PDF (WeasyPrint) and XLSX."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from rescue_station.spreadsheets import print_setup

from .monitoring_report import MonitoringReport
from .rendering import CENTER, LEFT, FormGrid, _number, pdf_bytes, score_format

STYLESHEETS = ("monitoring.css", "monitoring_pdf.css")


def render_pdf(report: MonitoringReport) -> bytes:
    """The form on A4 landscape."""
    html = render_to_string("performance/monitoring_pdf.html", {"report": report})
    header = f"{report.station_name} · {report.year}年度整体支出绩效运行监控表 · 截至{report.as_of}"
    return pdf_bytes(html, STYLESHEETS, header)


WIDTHS = (10, 10, 34, 11, 12, 12, 11, 7, 9, 44)


def render_xlsx(report: MonitoringReport) -> Workbook:
    """The form as a sheet: the same blocks and columns as the printed form."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{report.year}年度绩效运行监控表"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    score_fmt = score_format(report.places)
    row = 0

    grid = FormGrid(sheet)
    put = grid.put

    def merge(r: int, c1: int, c2: int) -> None:
        grid.merge(r, c1, r, c2)

    def line(*cells, bold: bool = False) -> None:
        """One row of (column, value, format, last column of its merge)."""
        nonlocal row
        row += 1
        for col, value, fmt, last in cells:
            put(row, col, value, fmt, bold=bold, align=LEFT if col == 10 else CENTER)
            merge(row, col, last)

    row += 1
    put(row, 1, f"{report.year}年度部门（单位）整体支出绩效运行监控表").font = Font(
        bold=True, size=14
    )
    merge(row, 1, 10)
    line(
        (1, "部门（单位）名称", None, 2),
        (3, report.station_name, None, 5),
        (6, "监控时点", None, 6),
        (7, f"截至{report.as_of}", None, 8),
        (9, "时间进度", None, 9),
        (10, f"{report.time_share}%", None, 10),
        bold=False,
    )
    line((1, "一、预算执行情况（万元）", None, 10), bold=True)
    headers = ["资金类别", "全年预算数", "执行数", "执行率（%）", "预计全年执行率（%）"]
    headers += ["完成可能性", "分值", "预计得分", "偏差原因及改进措施"]
    line(
        (1, headers[0], None, 2),
        *((c + 3, h, None, c + 3) for c, h in enumerate(headers[1:])),
        bold=True,
    )
    b = report.budget
    line(
        (1, "年度资金总额", None, 2),
        (3, _number(b.adjusted), "0.00", 3),
        (4, _number(b.executed), "0.00", 4),
        (5, _number(b.rate), "0.00", 5),
        (6, _number(b.projected_rate), "0.00", 6),
        (7, b.printed_status, None, 7),
        (8, _number(b.weight), "General", 8),
        (9, _number(b.forecast_score), score_fmt, 9),
        (10, _note(b.cause, b.measure), None, 10),
    )
    for index, source in enumerate(b.sources):
        line(
            (1, ("其中：" if index == 0 else "") + source.name, None, 2),
            (3, _number(source.adjusted), "0.00", 3),
            (4, _number(source.executed), "0.00", 4),
            (5, _number(source.rate), "0.00", 5),
            (6, "", None, 6),
            (7, source.printed_status, None, 7),
            (8, "", None, 10),
        )

    line((1, "二、绩效指标完成情况", None, 10), bold=True)
    names = ["一级指标", "二级指标", "三级指标", "年度指标值", f"截至{report.as_of}完成值"]
    names += ["全年预计完成值", "完成可能性", "分值", "预计得分", "偏差原因及改进措施"]
    line(*((c + 1, h, None, c + 1) for c, h in enumerate(names)), bold=True)
    table_top = row
    for r in report.rows:
        line(
            (1, r.level1, None, 1),
            (2, r.level2, None, 2),
            (3, r.name, None, 3),
            (4, r.printed_target, None, 4),
            (5, _number(r.actual), "General", 5),
            (6, _number(r.projected), "General", 6),
            (7, r.printed_status if r.judged else f"{r.printed_status}（尚未判断）", None, 7),
            (8, _number(r.weight), "General", 8),
            (9, _number(r.forecast_score), score_fmt, 9),
            (10, _note(r.cause, r.measure), None, 10),
        )
    line(
        (1, "预计总分", None, 7),
        (8, Decimal(100), "General", 8),
        (9, _number(report.forecast_total), score_fmt, 9),
        (10, f"预计等级：{report.forecast_grade}", None, 10),
        bold=True,
    )

    line((1, "三、项目支出绩效运行监控（万元）", None, 10), bold=True)
    line(
        (1, "项目名称", None, 3),
        (4, "全年预算数", None, 4),
        (5, "执行数", None, 5),
        (6, "执行率（%）", None, 6),
        (7, "完成可能性", None, 7),
        (8, "项目绩效指标", None, 10),
        bold=True,
    )
    for project in b.projects:
        line(
            (1, project.name, None, 3),
            (4, _number(project.adjusted), "0.00", 4),
            (5, _number(project.executed), "0.00", 5),
            (6, _number(project.rate), "0.00", 6),
            (7, project.printed_status, None, 7),
            (8, "未设定项目绩效目标", None, 10),
        )
    # As the PDF: landscape, the indicator table's header again on each page.
    print_setup(sheet, orientation="landscape", header_rows=(table_top, table_top), freeze="A3")
    return workbook


def _note(cause: str, measure: str) -> str:
    parts = [
        f"原因：{cause}" if cause.strip() else "",
        f"措施：{measure}" if measure.strip() else "",
    ]
    return "\n".join(p for p in parts if p)
