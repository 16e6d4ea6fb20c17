"""The shared page set-up of a printable workbook (issue 15, item 9), on a sheet of its own.

Each printable workbook's own set-up is tested in its app: tests/performance/test_print_setup.py
(the self-evaluation form and the monitoring form) and tests/budget/test_print_setup.py.
"""

from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from rescue_station.spreadsheets import lines_needed, print_setup, text_width, write_sheet
from tests.rescue_station.print_checks import (
    assert_prints_like_the_pdf,
    assert_short_columns_fit,
    assert_text_fits,
)

LONG = "流浪乞讨人员救助后返回原籍并纳入当地社会保障的比例（含跨省转移接续的人员）"


def _sheet():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "2024年度部门（单位）整体支出绩效自评表"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:C1")
    write_sheet(sheet, ["执行率（%）", "三级指标", "偏差原因"], [], widths=[6, 20, 30])
    sheet.append([98.5, LONG, "原因：年中追加\n措施：加快进度"])
    sheet.append([100, "短名", None])
    return workbook, sheet


def _round_trip(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return load_workbook(BytesIO(buffer.getvalue())).active


def test_text_width_counts_a_cjk_character_as_two_and_takes_the_widest_line():
    assert text_width("ab") == 2
    assert text_width("株洲ab") == 6
    assert text_width("株洲\n株洲市救助站") == 12
    assert text_width(None) == 0
    assert lines_needed(LONG, 22) == 4  # 76 units in 20 of room
    assert lines_needed("一\n二", 30) == 2


def test_the_page_set_up_survives_saving():
    workbook, sheet = _sheet()
    print_setup(sheet, orientation="landscape", header_rows=(2, 2))
    sheet = _round_trip(workbook)
    assert_prints_like_the_pdf(sheet, orientation="landscape", title_rows="$2:$2")
    assert sheet.freeze_panes == "A3"  # under the header rows
    assert "&P" in sheet.oddFooter.center.text  # page numbers, as the PDF


def test_a_freeze_of_its_own_and_portrait():
    workbook, sheet = _sheet()
    print_setup(sheet, orientation="portrait", header_rows=(2, 2), freeze="A2")
    sheet = _round_trip(workbook)
    assert_prints_like_the_pdf(sheet, orientation="portrait", title_rows="$2:$2")
    assert sheet.freeze_panes == "A2"


def test_long_text_wraps_in_a_row_tall_enough_and_short_columns_fit():
    workbook, sheet = _sheet()
    print_setup(sheet, orientation="landscape", header_rows=(2, 2))
    sheet = _round_trip(workbook)
    assert sheet.column_dimensions["B"].width == 20  # a long text wraps, its column stays
    assert sheet.row_dimensions[3].height >= 4 * 15
    assert_text_fits(sheet, 2)
    assert_text_fits(sheet, 3)  # two lines of the note
    assert sheet.row_dimensions[4].height == 15  # a short row stays one line
    assert sheet.column_dimensions["A"].width >= text_width("执行率（%）")  # widened from 6
    assert_short_columns_fit(sheet)
    assert sheet["B3"].alignment.vertical == "center"


def test_a_merged_title_wraps_in_the_width_of_its_merge():
    _, sheet = _sheet()
    sheet.column_dimensions["A"].width = 4
    sheet.column_dimensions["B"].width = 4
    sheet.column_dimensions["C"].width = 4
    sheet["A2"] = sheet["B2"] = sheet["C2"] = None
    print_setup(sheet, orientation="portrait", header_rows=None, freeze="A2", fit_widths=False)
    # 38 units at 14 points bold (× 1.4) in 12 − 2 units of room: 6 lines of 14/11 × 15 points
    assert sheet["A1"].alignment.wrap_text
    assert sheet.row_dimensions[1].height >= 6 * 15 * 14 / 11
    sheet.column_dimensions["A"].width = 60
    sheet.row_dimensions[1].height = None
    print_setup(sheet, orientation="portrait", header_rows=None, freeze="A2", fit_widths=False)
    assert sheet.row_dimensions[1].height < 2 * 15 * 14 / 11  # one line when the merge is wide


def test_a_cell_merged_down_several_rows_shares_its_height():
    workbook = Workbook()
    sheet = workbook.active
    sheet.column_dimensions["A"].width = 6
    sheet["A1"] = "年度预算申请（万元）"  # 20 units in 4 of room: 5 lines
    sheet.merge_cells("A1:A2")
    print_setup(sheet, orientation="portrait", header_rows=None, fit_widths=False)
    assert sheet.row_dimensions[1].height + sheet.row_dimensions[2].height >= 5 * 15


def test_a_width_and_a_height_set_on_purpose_are_not_shrunk():
    _, sheet = _sheet()
    sheet.column_dimensions["C"].width = 30
    sheet.row_dimensions[4].height = 60
    print_setup(sheet, orientation="landscape", header_rows=(2, 2))
    assert sheet.column_dimensions["C"].width == 30
    assert sheet.row_dimensions[4].height == 60
