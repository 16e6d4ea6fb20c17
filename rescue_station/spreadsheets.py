"""Excel in and out, shared by every app.

Out: ``write_sheet`` writes a header and rows with every text cell neutralised against formula
injection (a cell that starts with = + - @ or a control character is stored as text with a leading
apostrophe), and ``workbook_response`` sends a workbook as a download with a Chinese file name.

In: ``read_sheet`` reads the rows under a header row, checking the header against the template's
columns, and ``ImportResult`` collects errors by row and column so that an import is all or nothing:
the caller validates every row, and saves only when there is no error at all. Between the preview
and the confirmation the uploaded file waits in the session (``stash_upload`` / ``take_upload``).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def neutralise(value: Any) -> Any:
    """A value safe to put in a cell: text that a spreadsheet would run as a formula becomes text."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


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


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    """The workbook as a download; the file name may be Chinese (RFC 5987)."""
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


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
