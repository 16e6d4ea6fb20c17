from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from rescue_station.exporting import export_response, workbook_export
from rescue_station.spreadsheets import (
    SheetError,
    neutralise,
    parse_date,
    parse_decimal,
    read_sheet,
    workbook_bytes,
    write_sheet,
)


def _book(header, *rows) -> bytes:
    wb = Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    return workbook_bytes(wb)


@pytest.mark.parametrize("text", ["=1+1", "+86 123", "-2", "@SUM(A1)", "\tx"])
def test_it_neutralises_text_that_would_run_as_a_formula(text):
    assert neutralise(text) == "'" + text


def test_it_leaves_other_values_alone():
    assert neutralise("张三") == "张三"
    assert neutralise(-2) == -2


def test_written_cells_open_as_text_not_formulas():
    wb = Workbook()
    write_sheet(wb.active, ["姓名", "金额"], [['=HYPERLINK("x")', Decimal("1.50")]])
    sheet = load_workbook(__import__("io").BytesIO(workbook_bytes(wb))).active
    assert sheet["A2"].value == '\'=HYPERLINK("x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 1.5


def test_it_reads_rows_by_header_with_excel_row_numbers():
    data = _book(["日期", "金额"], ["2024-01-02", 5], [None, None], ["2024-02-01", "7.5"])
    assert read_sheet(data, ["金额", "日期"]) == [
        (2, {"日期": "2024-01-02", "金额": 5}),
        (4, {"日期": "2024-02-01", "金额": "7.5"}),
    ]


def test_it_refuses_a_header_that_is_not_the_templates():
    with pytest.raises(SheetError, match="金额"):
        read_sheet(_book(["日期", "数额"]), ["日期", "金额"])


def test_it_refuses_a_file_that_is_not_xlsx():
    with pytest.raises(SheetError):
        read_sheet(b"not a workbook", ["日期"])


def test_it_parses_numbers_and_refuses_text_and_extra_places():
    assert parse_decimal("1,234.50") == Decimal("1234.50")
    for bad in ["abc", "", "1.234", "NaN"]:
        with pytest.raises(ValueError):
            parse_decimal(bad)


def test_it_parses_dates():
    assert parse_date("2024/03/05") == date(2024, 3, 5)
    with pytest.raises(ValueError):
        parse_date("05.03.2024")


def test_the_download_carries_a_chinese_file_name():
    response = export_response(workbook_export(Workbook(), "救助台账.xlsx"))
    assert "filename*=UTF-8''%E6%95%91" in response["Content-Disposition"]
