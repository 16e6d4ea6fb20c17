"""The budget app's export: a station's execution tables of a year, as the station submits them."""

from __future__ import annotations

import datetime

from openpyxl import Workbook

from rescue_station.exporting import XlsxExporter
from rescue_station.models import Station

from .spreadsheets import execution_workbook


class ExecutionXLSX(XlsxExporter):
    """The year's execution tables in 万元 (the page's figures; the month table up to ``today``)."""

    identifier = "execution"
    verbose_name = "Excel"

    def __init__(self, station: Station, year: int, *, today: datetime.date) -> None:
        self.station = station
        self.year = year
        self.today = today

    def filename(self) -> str:
        return f"{self.station.name}{self.year}年度预算执行情况表.xlsx"

    def workbook(self) -> Workbook:
        return execution_workbook(self.station, self.year, self.today)
