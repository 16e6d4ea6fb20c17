"""The budget execution workbook prints (issue 15, item 9): each sheet A4, one page wide, its
header row on every page and frozen, the project names wrapped, the amounts' columns wide enough."""

from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from budget.models import Nature
from budget.spreadsheets import execution_workbook
from rescue_station.spreadsheets import workbook_bytes
from tests.rescue_station.print_checks import (
    assert_prints_like_the_pdf,
    assert_short_columns_fit,
    assert_text_fits,
)

ORIENTATION = {
    "预算执行总表": "portrait",
    "按功能分类": "portrait",
    "按项目": "landscape",  # ten columns
    "按月执行": "portrait",
}


def test_every_sheet_of_the_execution_workbook_prints(station, make_line, make_project, spend):
    spend(make_line(station, initial="1000000", adjusted="1200000"), "1100000.55")
    project = make_project(
        station, name="救助设施提质改造及流浪乞讨人员临时安置点建设（彩票公益金）"
    )
    spend(
        make_line(
            station, nature=Nature.PROJECT, code="2082002", adjusted="300000", project=project
        ),
        "12345.67",
    )
    workbook = load_workbook(
        BytesIO(workbook_bytes(execution_workbook(station, 2024, date(2024, 12, 31))))
    )
    assert [s.title for s in workbook] == list(ORIENTATION)
    for sheet in workbook:
        assert_prints_like_the_pdf(sheet, orientation=ORIENTATION[sheet.title], title_rows="$3:$3")
        assert sheet.freeze_panes == "A4"
        assert sheet["A2"].value.startswith("单位名称：")
        assert sheet["A2"].alignment.wrap_text  # the unit's name wraps rather than being cut
        assert_short_columns_fit(sheet)
    projects = workbook["按项目"]
    assert_text_fits(projects, 1)
    assert projects.row_dimensions[4].height >= 2 * 15  # the long project name: two lines at least
