"""The station's statistics (``cases.statistics``) as a page, a PDF and a workbook: one set of
tables drawn three ways. On the page every number opens the stays behind it (the stay list of the
same period, narrowed to the row) where the reader may read stays; elsewhere it stays a number.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from cases.statistics import PeriodError, Statistics, Table, statistics_period
from rescue_station.query import YEAR_MIN, year_max
from rescue_station.selectors import local_today
from rescue_station.spreadsheets import neutralise, print_setup

from .selectors import link

STATIC = Path(__file__).resolve().parent / "static" / "dashboards"
UNIT = "人次、人天"


# ------------------------------------------------------------------------- the period


class PeriodForm(forms.Form):
    """A year, or a start and an end date (both inclusive); nothing given: this year."""

    year = forms.IntegerField(label=gettext_lazy("Year"), required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        year, start, end = data.get("year"), data.get("start"), data.get("end")
        if self.errors:
            return data
        if year is None and start is None and end is None:
            year = local_today().year
        try:
            data["period"] = statistics_period(year, start, end)
        except PeriodError as error:
            raise ValidationError(str(error)) from None
        return data


def years() -> list[int]:
    """The years the chooser offers: this year back to ten years ago (any other by the URL)."""
    last = min(year_max(), local_today().year)
    return list(range(last, max(YEAR_MIN, last - 10) - 1, -1))


# ------------------------------------------------------------------------- linked tables


@dataclass(frozen=True)
class Cell:
    value: int
    url: str | None


@dataclass(frozen=True)
class LinkedRow:
    label: str
    intakes: Cell
    person_days: Cell


@dataclass(frozen=True)
class LinkedTable:
    key: str
    title: str
    rows: list[LinkedRow]
    total: LinkedRow
    splits: bool


def _urls(user: Any, start: date, end: date, **query: str) -> tuple[str | None, str | None]:
    """The stays counted in the intakes and in the person-days of ``[start, end]``."""
    if user is None:
        return None, None
    period = {"start": start.isoformat(), "end": end.isoformat()}
    return (
        link(user, "cases.view_stay", "cases:stay_list", counted="intakes", **period, **query),
        link(user, "cases.view_stay", "cases:stay_list", counted="stayed", **period, **query),
    )


def _linked_row(label: str, intakes: int, days: int, urls: tuple[str | None, str | None]):
    return LinkedRow(label, Cell(intakes, urls[0]), Cell(days, urls[1]))


def linked_tables(stats: Statistics, user: Any = None) -> list[LinkedTable]:
    """The tables with the address of the stays behind each number (none without ``user``, as
    in the PDF; none where the user may not read stays)."""
    start, end = stats.start, stats.end
    whole = _urls(user, start, end)
    result = []
    for table in stats.tables:
        rows = []
        for row in table.rows:
            if table.key == "by_month":
                month_end = min(_month_end(date.fromisoformat(row.value)), end)
                urls = _urls(user, date.fromisoformat(row.value), month_end)
            else:
                urls = _urls(user, start, end, row=f"{table.key}:{row.value}")
            rows.append(_linked_row(row.label, row.intakes, row.person_days, urls))
        total = _linked_row(_total_label(table), table.intakes, table.person_days, whole)
        result.append(LinkedTable(table.key, table.title, rows, total, table.splits))
    return result


def _month_end(first: date) -> date:
    return date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])


def _total_label(table: Table) -> str:
    return _("Total") if table.splits else _("All persons helped (the groups overlap)")


def figure_urls(stats: Statistics, user: Any) -> dict[str, str | None]:
    """The records behind each figure: the patrols of the period, the escorted stays, the stays
    traced (the stay list has no tracing filter: the stays of the period)."""
    if user is None:
        return {}
    period = {"start": stats.start.isoformat(), "end": stats.end.isoformat()}
    patrols = link(user, "cases.view_streetpatrol", "cases:patrol_list", **period)
    return {
        "cases.escorted_home": link(
            user, "cases.view_stay", "cases:stay_list", exit_type="escorted_home", **period
        ),
        # No list of tracing efforts by result: the stays in the station during the period.
        "cases.tracing_successes": link(
            user, "cases.view_stay", "cases:stay_list", counted="stayed", **period
        ),
        "cases.street_patrols": patrols,
        "cases.street_persons_assisted": patrols,
    }


def context(stats: Statistics, user: Any = None) -> dict[str, Any]:
    urls = figure_urls(stats, user)
    return {
        "stats": stats,
        "title": title(stats),
        "period": period_text(stats),
        "tables": linked_tables(stats, user),
        "figures": [(f, urls.get(f.key)) for f in stats.figures],
        "unit": UNIT,
    }


# ------------------------------------------------------------------------- PDF


def render_pdf(stats: Statistics, *, filled_by: str = "", filled_on: date) -> bytes:
    """The tables through WeasyPrint: A4 portrait, the Noto CJK fonts embedded as subsets."""
    from weasyprint import CSS, HTML

    html = render_to_string(
        "dashboards/statistics_pdf.html",
        {**context(stats), "filled_by": filled_by, "filled_on": filled_on},
    )
    css = CSS(filename=str(STATIC / "statistics_pdf.css"))
    return HTML(string=html, base_url=str(STATIC)).write_pdf(stylesheets=[css])


# ------------------------------------------------------------------------- XLSX

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
SECTION = PatternFill("solid", fgColor="E8EEF5")
WIDTHS = (30, 16, 16)


def title(stats: Statistics) -> str:
    return _("%(station)s: statistics of the assistance work") % {"station": stats.station.name}


def period_text(stats: Statistics) -> str:
    return _("Period: %(start)s to %(end)s") % {
        "start": f"{stats.start:%Y年%m月%d日}",
        "end": f"{stats.end:%Y年%m月%d日}",
    }


def render_xlsx(stats: Statistics, *, filled_by: str = "", filled_on: date) -> Workbook:
    """One sheet as a station files it: title, period, the unit filing it, the unit of count,
    each table under its heading with its total, the figures, who filled it in and when."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statistics")[:31]

    def put(r: int, c: int, value: Any, *, bold: bool = False, align=CENTER, border=True):
        cell = sheet.cell(row=r, column=c, value=neutralise(value))
        cell.alignment = align
        if border:
            cell.border = BORDER
        if bold:
            cell.font = Font(bold=True)
        return cell

    def across(r: int, value: Any, **kwargs: Any) -> Any:
        cell = put(r, 1, value, **kwargs)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        return cell

    across(1, title(stats), border=False).font = Font(bold=True, size=16)
    across(2, period_text(stats), border=False)
    put(3, 1, _("Unit: %(name)s") % {"name": stats.station.name}, align=LEFT, border=False)
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=2)
    put(3, 3, _("Count unit: %(unit)s") % {"unit": UNIT}, border=False)
    header = 4
    for col, text in enumerate(
        (_("Statistics item"), _("Intakes (人次)"), _("Person-days (人天次)")), 1
    ):
        put(header, col, text, bold=True).fill = SECTION
    row = header
    for table in linked_tables(stats):
        row += 1
        across(row, table.title, bold=True, align=LEFT).fill = SECTION
        for item in [*table.rows, table.total]:
            row += 1
            is_total = item is table.total
            put(row, 1, item.label, bold=is_total, align=LEFT)
            put(row, 2, item.intakes.value, bold=is_total)
            put(row, 3, item.person_days.value, bold=is_total)
    row += 1
    across(row, _("Other work"), bold=True, align=LEFT).fill = SECTION
    for figure in stats.figures:
        row += 1
        put(row, 1, figure.label, align=LEFT)
        put(row, 2, figure.value)
        put(row, 3, figure.unit)
    row += 2
    put(row, 1, _("Head of unit:"), align=LEFT, border=False)
    put(row, 2, _("Filled in by: %(name)s") % {"name": filled_by}, align=LEFT, border=False)
    put(row, 3, _("Date: %(day)s") % {"day": f"{filled_on:%Y年%m月%d日}"}, border=False)
    print_setup(sheet, orientation="portrait", header_rows=(header, header), widths=WIDTHS)
    return workbook


def filename(stats: Statistics, extension: str) -> str:
    return f"{stats.station.name}-统计表-{stats.start:%Y%m%d}-{stats.end:%Y%m%d}.{extension}"
