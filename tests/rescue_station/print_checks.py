"""Checks of a printable sheet's page set-up, read back with openpyxl (shared by the apps' tests).

The widths are counted here on their own: a CJK character is two units of a column's width.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries

LINE = 15  # points, one line of 11-point text


def units(text: Any) -> int:
    lines = str(text).split("\n")
    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s) for s in lines)


def width(sheet: Any, column: int) -> float:
    return sheet.column_dimensions[get_column_letter(column)].width or 8.43


def merged(sheet: Any) -> set[tuple[int, int]]:
    cells = set()
    for merge in sheet.merged_cells.ranges:
        c1, r1, c2, r2 = range_boundaries(str(merge))
        cells |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    return cells


def assert_prints_like_the_pdf(sheet: Any, *, orientation: str, title_rows: str) -> None:
    """A4 in the orientation, one page wide (any number down), titles repeated, header frozen."""
    setup = sheet.page_setup
    assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4)  # 9, A4
    assert setup.orientation == orientation
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == title_rows
    assert sheet.freeze_panes is not None and sheet.freeze_panes != "A1"


def assert_text_fits(sheet: Any, column: int, *, padding: int = 0) -> None:
    """Each unmerged text cell of the column wraps, in a row tall enough for all its lines."""
    cells = merged(sheet)
    room = width(sheet, column) - padding
    checked = 0
    for (cell,) in sheet.iter_rows(min_col=column, max_col=column):
        if not isinstance(cell.value, str) or (cell.row, column) in cells:
            continue
        assert cell.alignment.wrap_text, (cell.coordinate, cell.value)
        lines = sum(math.ceil(units(part) / room) or 1 for part in cell.value.split("\n"))
        height = sheet.row_dimensions[cell.row].height or LINE
        assert height >= lines * LINE, (cell.coordinate, cell.value, height, lines)
        checked += 1
    assert checked


def assert_short_columns_fit(sheet: Any, *, longest: int = 20) -> None:
    """A column whose texts are all short is at least as wide as the widest of them."""
    cells = merged(sheet)
    widest: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in cells:
                continue
            widest[cell.column] = max(widest.get(cell.column, 0), units(cell.value))
    short = {c: w for c, w in widest.items() if w <= longest}
    assert short
    for column, need in short.items():
        assert width(sheet, column) >= need, (get_column_letter(column), need)
