"""Exports, as pretix has them: small classes over the data the pages show, each answering one
``Export`` (file name, content type, bytes) that a view sends with ``export_response`` and a
command writes to a file.

An exporter is built over its source (a framework, a list of records, a station's year) and
``render()`` makes the file; it decides everything about the file, so that a page and a command
asked for the same export give the same bytes. A spreadsheet exporter (``XlsxExporter``) turns its
workbook into bytes through ``workbook_bytes``, which neutralises formula-like text in every cell
(``rescue_station.spreadsheets.guard_formulas``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook

from .spreadsheets import XLSX_CONTENT_TYPE, workbook_bytes

PDF = "application/pdf"
JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"


def json_bytes(payload: Any) -> bytes:
    """JSON as the commands have always written it: readable, Chinese unescaped, a final newline."""
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode()


@dataclass(frozen=True)
class Export:
    """One exported file."""

    filename: str  # as the user saves it; may be Chinese
    content_type: str
    content: bytes
    # The name for a client that does not read RFC 5987 (default: the ASCII part of the name).
    ascii_filename: str = ""
    inline: bool = False  # shown in the browser rather than downloaded
    rows: int | None = None  # how many records it lists, for the access log of list exports


class Exporter:
    """One kind of file. A subclass names itself and implements ``render``."""

    identifier: ClassVar[str]  # e.g. "pdf", as in the URL or the command's --format
    verbose_name: ClassVar[str]
    extension: ClassVar[str]
    content_type: ClassVar[str]

    def render(self) -> Export:
        raise NotImplementedError

    def filename(self) -> str:
        raise NotImplementedError

    def ascii_filename(self) -> str:
        """The plain name for old clients; empty: the ASCII part of ``filename``."""
        return ""

    def export(self, content: bytes, **kwargs: Any) -> Export:
        """The rendered ``content`` under this exporter's file names and content type."""
        kwargs.setdefault("ascii_filename", self.ascii_filename())
        return Export(self.filename(), self.content_type, content, **kwargs)


class XlsxExporter(Exporter):
    """A workbook; its text cells pass through the formula-injection guard on the way to bytes."""

    extension = "xlsx"
    content_type = XLSX_CONTENT_TYPE

    def workbook(self) -> Workbook:
        raise NotImplementedError

    def rows(self, workbook: Workbook) -> int | None:
        """How many records the workbook lists (a list under one header row says so)."""
        return None

    def render(self) -> Export:
        workbook = self.workbook()
        return self.export(workbook_bytes(workbook), rows=self.rows(workbook))


def workbook_export(workbook: Workbook, filename: str, *, rows: int | None = None) -> Export:
    """A workbook made elsewhere (an import template) as an export, through the same guard."""
    return Export(filename, XLSX_CONTENT_TYPE, workbook_bytes(workbook), rows=rows)


def content_disposition(export: Export) -> str:
    """The header with both names: a plain one, and the real one per RFC 5987 (Chinese names)."""
    kind = "inline" if export.inline else "attachment"
    fallback = export.ascii_filename or export.filename.encode("ascii", "ignore").decode()
    fallback = fallback.replace('"', "").replace("\\", "")
    if not any(ch.isalnum() for ch in fallback.rsplit(".", 1)[0]):  # nothing but the suffix
        fallback = f"export.{export.filename.rsplit('.', 1)[-1]}"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(export.filename)}"


def export_response(export: Export) -> HttpResponse:
    """The export as a response: a download, or shown in the browser when ``inline``."""
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition(export)
    return response
