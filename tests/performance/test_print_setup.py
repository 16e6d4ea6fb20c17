"""The self-evaluation form and the monitoring form print like their PDFs (issue 15, item 9):
A4 landscape, one page wide, the indicator table's header on every page, names wrapped in rows
tall enough for them, short columns as wide as their content."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from performance.monitoring_rendering import render_xlsx as monitoring_xlsx
from performance.monitoring_report import monitoring_report
from performance.rendering import render_xlsx
from performance.selectors import evaluation_report
from rescue_station.spreadsheets import workbook_bytes
from tests.performance.monitoring_factories import (
    SEASON_2023,
    SEASON_2024,
    budget_line,
    framework_2024,
    stays_by_month,
)
from tests.rescue_station.print_checks import (
    LINE,
    assert_prints_like_the_pdf,
    assert_short_columns_fit,
    assert_text_fits,
    units,
    width,
)

NAME, NOTE = 4, 9  # the self-evaluation form's columns of indicator names and of notes


def _saved(workbook):
    return load_workbook(BytesIO(workbook_bytes(workbook))).active


def _row_of(sheet, column, text):
    return next(
        c.row for (c,) in sheet.iter_rows(min_col=column, max_col=column) if c.value == text
    )


@pytest.fixture
def evaluation_sheet(demo_2024):
    return _saved(render_xlsx(evaluation_report(demo_2024)))


def test_the_evaluation_form_is_a4_landscape_one_page_wide(evaluation_sheet):
    header = _row_of(evaluation_sheet, NAME, "三级指标")
    assert_prints_like_the_pdf(
        evaluation_sheet, orientation="landscape", title_rows=f"${header}:${header}"
    )
    assert evaluation_sheet.freeze_panes == "A3"  # the title and the unit stay in view


def test_the_evaluation_forms_names_and_notes_wrap_in_rows_tall_enough(evaluation_sheet):
    assert_text_fits(evaluation_sheet, NAME)
    assert_text_fits(evaluation_sheet, NOTE)
    names = [
        c.value
        for (c,) in evaluation_sheet.iter_rows(min_col=NAME, max_col=NAME, min_row=12)
        if isinstance(c.value, str)
    ]
    longest = max(names, key=units)
    room = width(evaluation_sheet, NAME)
    assert units(longest) > room  # the demo has a name longer than its column: it needs 2 lines
    assert evaluation_sheet.row_dimensions[_row_of(evaluation_sheet, NAME, longest)].height >= (
        2 * LINE
    )


def test_the_evaluation_forms_short_columns_fit_and_the_title_is_not_clipped(evaluation_sheet):
    assert_short_columns_fit(evaluation_sheet)
    title, unit = evaluation_sheet["A1"], evaluation_sheet["C2"]
    assert title.value.endswith("整体支出绩效自评表")
    total = sum(width(evaluation_sheet, c) for c in range(1, 10))
    assert units(title.value) * 14 / 11 <= total or title.alignment.wrap_text
    assert unit.alignment.wrap_text
    assert evaluation_sheet.row_dimensions[1].height >= LINE * 14 / 11


@pytest.fixture
def monitoring_sheet(station, users, monkeypatch):
    monkeypatch.setattr("rescue_station.selectors.local_today", lambda: date(2025, 3, 1))
    stays_by_month(station, 2023, SEASON_2023)
    stays_by_month(station, 2024, SEASON_2024)
    budget_line(station, 2024, "1000000.00", [(date(2024, 3, 1), "600000.00")])
    framework = framework_2024(station, users)
    return _saved(monitoring_xlsx(monitoring_report(framework, date(2024, 6, 30))))


def test_the_monitoring_form_prints_like_its_pdf(monitoring_sheet):
    header = _row_of(monitoring_sheet, 3, "三级指标")
    assert_prints_like_the_pdf(
        monitoring_sheet, orientation="landscape", title_rows=f"${header}:${header}"
    )
    assert_text_fits(monitoring_sheet, 3)
    assert_short_columns_fit(monitoring_sheet)
