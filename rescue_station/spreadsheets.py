"""Excel in and out, shared by every app.

Out: text that a spreadsheet would run as a formula (it starts with = + - @ or a control
character) never reaches a cell as a formula. ``write_sheet`` writes a header and rows with such
text neutralised (``neutralise``: a leading apostrophe, which the import strips again); a printed
form keeps it as written but stored as text (``put_text``: Excel's hidden quote prefix, so a
target "=100" prints as "=100"); and ``workbook_bytes``, the one way a workbook becomes a file
(``rescue_station.exporting``), passes every cell through ``guard_formulas`` for any writer that
did neither.

In: ``read_sheet`` reads the rows under a header row, checking the header against the template's
columns, and ``ImportResult`` collects errors by row and column so that an import is all or nothing:
the caller validates every row, and saves only when there is no error at all. Between the preview
and the confirmation the uploaded file waits in the session (``stash_upload`` / ``take_upload``).

Print: ``print_setup`` gives a sheet that is printed (the forms, the execution tables) its page
set-up: A4, the orientation of the PDF, one page wide, the header rows on every page, the header
frozen, wrapped text, and column widths and row heights that fit the text (``text_width``).
"""

from __future__ import annotations

import base64
import math
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def formula_like(value: Any) -> bool:
    """Whether a spreadsheet would run this value as a formula if it were typed into a cell."""
    return isinstance(value, str) and value.startswith(_DANGEROUS_START)


def neutralise(value: Any) -> Any:
    """A value safe to put in a cell: text that a spreadsheet would run as a formula becomes text."""
    return "'" + value if formula_like(value) else value


def put_text(cell: Any, value: Any) -> Any:
    """Put a value in a printed form's cell: formula-like text stays as written, stored as text
    with Excel's (hidden) quote prefix."""
    cell.value = value
    if formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def guard_formulas(workbook: Workbook) -> None:
    """Neutralise every cell whose text would run as a formula and is not stored as quoted text:
    the last line of defence, run on every workbook written (a title appended by hand, a writer
    that forgot). The workbooks hold no formula of their own."""
    for sheet in workbook.worksheets:
        # The cells that exist (iter_rows would create the empty ones of the grid).
        for cell in sheet._cells.values():
            if not formula_like(cell.value):
                continue
            if cell.quotePrefix:
                cell.data_type = "s"
            else:
                cell.value = neutralise(cell.value)


def write_sheet(
    sheet: Any,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    number_formats: dict[int, str] | None = None,
) -> None:
    """Write a bold header row and the rows below it; ``number_formats`` maps column index to format."""
    sheet.append([str(h) for h in headers])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF5")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
        if number_formats:
            for index, fmt in number_formats.items():
                sheet.cell(row=sheet.max_row, column=index + 1).number_format = fmt
    for index, header in enumerate(headers):
        width = widths[index] if widths else max(10, min(40, len(str(header)) * 2 + 4))
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"


# ------------------------------------------------------------------------------------- print

LINE_HEIGHT = 15.0  # points for one line of 11-point text (Excel's default row)
BASE_SIZE = 11.0  # the default font size, in which a column's width is counted
MIN_WIDTH = 6.0
MAX_WIDTH = 24.0  # a column is widened up to this; a longer text wraps instead
CELL_PADDING = 2.0  # width units a cell loses to its margins and borders


def text_width(value: Any) -> float:
    """The width of a cell's text in column-width units: its widest line, a CJK character as 2."""
    if value is None:
        return 0.0
    text = value if isinstance(value, str) else _shown(value)
    return max((_line_width(line) for line in text.split("\n")), default=0.0)


def _line_width(line: str) -> float:
    return float(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line))


def _shown(value: Any) -> str:
    if isinstance(value, float | Decimal):
        return f"{value:,.2f}"  # the widest of the number formats the workbooks use
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)


def _size(cell: Any) -> float:
    """The cell's font size relative to the default."""
    return float(cell.font.sz or BASE_SIZE) / BASE_SIZE if cell.font else 1.0


def _scale(cell: Any) -> float:
    """How much wider than default text the cell's font draws (size, bold)."""
    return _size(cell) * (1.1 if cell.font is not None and cell.font.b else 1.0)


def lines_needed(value: Any, width: float, scale: float = 1.0) -> int:
    """How many lines a text takes when wrapped in a column (or merge) ``width`` units wide."""
    if value in (None, ""):
        return 1
    text = value if isinstance(value, str) else _shown(value)
    room = max(1.0, width - CELL_PADDING)
    return sum(max(1, math.ceil(_line_width(line) * scale / room)) for line in text.split("\n"))


def _column_width(sheet: Any, column: int) -> float:
    width = sheet.column_dimensions[get_column_letter(column)].width
    return float(width) if width else 8.43  # openpyxl's (and Excel's) default width


def _merges(sheet: Any) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Each merge's top-left cell to its (first column, first row, last column, last row)."""
    result = {}
    for merged in sheet.merged_cells.ranges:
        c1, r1, c2, r2 = range_boundaries(str(merged))
        for row in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                result[(row, col)] = (c1, r1, c2, r2)
    return result


def fit_columns(sheet: Any, *, maximum: float = MAX_WIDTH) -> None:
    """Widen each column to its widest unmerged cell of at most ``maximum`` units (longer text
    wraps, in the width the column has)."""
    merges = _merges(sheet)
    widest: dict[int, float] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merges:
                continue
            need = text_width(cell.value) * _scale(cell) + CELL_PADDING
            if need <= maximum:  # a longer text wraps in the column's own width
                widest[cell.column] = max(widest.get(cell.column, 0.0), need)
    for column, need in widest.items():
        letter = get_column_letter(column)
        current = sheet.column_dimensions[letter].width or 0
        width = max(float(current), MIN_WIDTH, math.ceil(need))
        sheet.column_dimensions[letter].width = width


def fit_rows(sheet: Any) -> None:
    """Wrap every text cell and give each row the height of its tallest wrapped text.

    A merged cell wraps in the width of its merge; one merged over several rows shares its height
    among them (rows only grow, so a height set on purpose stays).
    """
    merges = _merges(sheet)
    heights: dict[int, float] = {}
    tall: list[tuple[int, int, float]] = []  # (first row, last row, height) of multi-row merges
    for row in sheet.iter_rows():
        for cell in row:
            key = (cell.row, cell.column)
            c1, r1, c2, r2 = merges.get(key, (cell.column, cell.row, cell.column, cell.row))
            if key != (r1, c1) or cell.value is None:
                continue
            _align(cell, wrap=isinstance(cell.value, str))
            width = sum(_column_width(sheet, c) for c in range(c1, c2 + 1))
            lines = lines_needed(cell.value, width, _scale(cell))
            height = lines * LINE_HEIGHT * max(1.0, _size(cell))
            if r1 == r2:
                heights[r1] = max(heights.get(r1, LINE_HEIGHT), height)
            else:
                tall.append((r1, r2, height))
    for number, height in heights.items():
        _grow(sheet, number, height)
    for r1, r2, height in tall:
        rows = range(r1, r2 + 1)
        have = sum(sheet.row_dimensions[r].height or LINE_HEIGHT for r in rows)
        if have < height:
            extra = (height - have) / len(rows)
            for r in rows:
                _grow(sheet, r, (sheet.row_dimensions[r].height or LINE_HEIGHT) + extra)


def _align(cell: Any, *, wrap: bool) -> None:
    """Text wraps; every value sits in the middle of a row made taller for another cell."""
    alignment = cell.alignment
    if (wrap and not alignment.wrap_text) or alignment.vertical is None:
        cell.alignment = Alignment(
            horizontal=alignment.horizontal,
            vertical=alignment.vertical or "center",
            wrap_text=wrap or alignment.wrap_text,
            indent=alignment.indent,
        )


def _grow(sheet: Any, number: int, height: float) -> None:
    current = sheet.row_dimensions[number].height or 0
    sheet.row_dimensions[number].height = max(float(current), math.ceil(height))


def print_setup(
    sheet: Any,
    *,
    orientation: str,
    header_rows: tuple[int, int] | None,
    freeze: str | None = None,
    widths: Sequence[float] | None = None,
    fit_widths: bool = True,
) -> None:
    """Make a sheet print like the PDF: A4 in ``orientation``, fitted to one page wide.

    ``header_rows`` (first, last) print again at the top of each page; ``freeze`` (a cell such as
    "A4") freezes the rows above it, by default those under the header rows. ``widths`` set the
    columns first; ``fit_widths`` then widens the columns narrower than their content. Every text
    wraps and every row is as tall as its text. Call it last, when the cells are written.
    """
    if widths:
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
    if fit_widths:
        fit_columns(sheet)
    fit_rows(sheet)
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = orientation
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as the rows need
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.5  # inches, about the PDF's 12 mm
    margins.top, margins.bottom = 0.6, 0.6
    margins.header = margins.footer = 0.3
    sheet.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    sheet.oddFooter.center.size = 9
    if header_rows:
        sheet.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
        if freeze is None:
            freeze = f"A{header_rows[1] + 1}"
    if freeze:
        sheet.freeze_panes = freeze


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as an .xlsx file, its cells through ``guard_formulas``."""
    guard_formulas(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class CellError:
    row: int  # the row number as Excel shows it
    column: str  # the column's header
    message: str


@dataclass
class ImportResult:
    """What an import found: rows ready to save, or errors by row and column (then nothing saves)."""

    rows: list[Any] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(CellError(row, str(column), str(message)))


def preview_context() -> dict[str, Any]:
    """How many rows an import preview lists (the template slices with ``preview_slice``)."""
    rows = settings.IMPORT_PREVIEW_ROWS
    return {"preview_rows": rows, "preview_slice": f":{rows}"}


class SheetError(ValueError):
    """The file cannot be read as the template: not an xlsx file, or the header is not the template's."""


def read_sheet(data: bytes, headers: Sequence[str]) -> list[tuple[int, dict[str, Any]]]:
    """The non-empty rows under the header as ``(excel row number, {header: value})``.

    The first row must carry the template's headers (in any order; extra columns are refused so
    that a wrong file is not half read).
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise SheetError(_("The file is larger than 5 MB."))
    try:
        reader = _Reader(BytesIO(data), read_only=True, data_only=True)
        reader.read()
        workbook = reader.wb
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise SheetError(_("The file is not an Excel (.xlsx) workbook.")) from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    while header and header[-1] == "":
        header.pop()
    missing = [h for h in headers if h not in header]
    extra = [h for h in header if h and h not in headers]
    if missing or extra:
        parts = []
        if missing:
            parts.append(_("missing columns: %(cols)s") % {"cols": "、".join(missing)})
        if extra:
            parts.append(_("unknown columns: %(cols)s") % {"cols": "、".join(extra)})
        raise SheetError(
            _("The header row is not the template's (%(what)s).") % {"what": "；".join(parts)}
        )
    limit = settings.IMPORT_MAX_ROWS
    too_many = SheetError(
        _("The file has more than %(limit)s rows: split it and import the parts one after another.")
        % {"limit": f"{limit:,}"}
    )
    # The sheet's own dimension (when the file states it) refuses a huge file before reading it.
    if sheet.max_row is not None and sheet.max_row - 1 > limit * 2:
        workbook.close()
        raise too_many
    result = []
    for number, values in enumerate(rows, start=2):
        record = {h: _clean(v) for h, v in zip(header, values, strict=False) if h}
        if any(v not in (None, "") for v in record.values()):
            result.append((number, record))
            if len(result) > limit:
                workbook.close()
                raise too_many
    workbook.close()
    return result


_SI, _T, _R = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("si", "t", "r"))


def _string_table(source: Any) -> list[str]:
    """The shared strings as openpyxl's ``read_string_table`` reads them (each one's text, its
    formatted runs joined, without phonetic runs), without building an object per string: a
    ledger of 10,000 rows holds about 100,000 of them, and that took a third of the reading."""
    strings = []
    for _event, node in iterparse(source):
        if node.tag == _SI:
            plain = node.find(_T)
            parts = [plain.text or ""] if plain is not None else []
            for run in node.iterfind(_R):
                text = run.findtext(_T)
                if text:
                    parts.append(text)
            strings.append("".join(parts).replace("x005F_", ""))
            node.clear()
    return strings


class _Reader(ExcelReader):
    """``load_workbook``'s reader, reading the shared strings with ``_string_table``."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = _string_table(source)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:].startswith(_DANGEROUS_START):
            value = value[1:]  # our own neutralised export read back
    return value


def parse_decimal(value: Any, *, places: int = 2) -> Decimal:
    """A cell as a Decimal with at most ``places`` decimals; raises ValueError with a message."""
    if value in (None, ""):
        raise ValueError(_("This cell is required."))
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        raise ValueError(_("At most %(places)s decimal places.") % {"places": places})
    return number


def parse_date(value: Any) -> date:
    """A cell as a date: an Excel date, or text YYYY-MM-DD; raises ValueError with a message."""
    if value in (None, ""):
        raise ValueError(_("This cell is required."))
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        raise ValueError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}) from None


_SESSION_PREFIX = "upload:"


def stash_upload(request: HttpRequest, data: bytes) -> str:
    """Keep an uploaded file in the session until the user confirms the preview; returns a token."""
    token = secrets.token_urlsafe(16)
    # A session has keys() but cannot be iterated directly.
    for key in [k for k in request.session.keys() if k.startswith(_SESSION_PREFIX)]:  # noqa: SIM118
        del request.session[key]  # one pending upload per user at a time
    request.session[_SESSION_PREFIX + token] = base64.b64encode(data).decode()
    return token


def take_upload(request: HttpRequest, token: str) -> bytes | None:
    """The stashed file (and forget it), or None when the token is unknown or was used."""
    stored = request.session.pop(_SESSION_PREFIX + str(token), None)
    return base64.b64decode(stored) if stored else None
