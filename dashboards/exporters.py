"""The statistics as the form a station files: JSON, XLSX or PDF, signed by who filled it in."""

from __future__ import annotations

import datetime

from openpyxl import Workbook

from cases.statistics import Statistics
from rescue_station.exporting import JSON, PDF, Export, Exporter, XlsxExporter, json_bytes

from . import station_statistics


class StatisticsExporter(Exporter):
    def __init__(self, stats: Statistics, *, filled_by: str, filled_on: datetime.date) -> None:
        self.stats = stats
        self.signed = {"filled_by": filled_by, "filled_on": filled_on}

    def filename(self) -> str:
        return station_statistics.filename(self.stats, self.extension)


class StatisticsJSON(StatisticsExporter):
    identifier = "json"
    verbose_name = "JSON"
    extension = "json"
    content_type = JSON

    def render(self) -> Export:
        return self.export(json_bytes(self.stats.to_json()))


class StatisticsPDF(StatisticsExporter):
    identifier = "pdf"
    verbose_name = "PDF"
    extension = "pdf"
    content_type = PDF

    def ascii_filename(self) -> str:
        return "statistics.pdf"

    def render(self) -> Export:
        return self.export(station_statistics.render_pdf(self.stats, **self.signed))


class StatisticsXLSX(StatisticsExporter, XlsxExporter):
    identifier = "xlsx"
    verbose_name = "Excel"

    def workbook(self) -> Workbook:
        return station_statistics.render_xlsx(self.stats, **self.signed)


STATISTICS_EXPORTERS: dict[str, type[StatisticsExporter]] = {
    exporter.identifier: exporter for exporter in (StatisticsJSON, StatisticsXLSX, StatisticsPDF)
}
