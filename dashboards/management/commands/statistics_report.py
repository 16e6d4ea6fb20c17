import json
import sys

from django.core.management.base import BaseCommand, CommandError

from cases.statistics import PeriodError, station_statistics, statistics_period
from dashboards.station_statistics import render_pdf, render_xlsx
from rescue_station.commands import iso_date, station_by_code
from rescue_station.selectors import local_today
from rescue_station.spreadsheets import workbook_bytes


class Command(BaseCommand):
    help = (
        "Write a station's statistics of its assistance work for a year or a period (both ends "
        "inclusive): intakes and person-days by sex, age, health, source, province, departure "
        "type, special group and month, and the street, tracing and escort figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--station", required=True, help="station code, e.g. zhuzhou")
        parser.add_argument("--year", type=int)
        parser.add_argument("--start", type=iso_date)
        parser.add_argument("--end", type=iso_date)
        parser.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--filled-by", default="", help="who filled the form in (XLSX and PDF)")

    def handle(self, *args, **options) -> None:
        station = station_by_code(options["station"])
        try:
            start, end = statistics_period(options["year"], options["start"], options["end"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        stats = station_statistics(station, start, end)
        fmt = options["format"]
        signed = {"filled_by": options["filled_by"], "filled_on": local_today()}
        if fmt == "json":
            data = (json.dumps(stats.to_json(), ensure_ascii=False, indent=2) + "\n").encode()
        elif fmt == "pdf":
            data = render_pdf(stats, **signed)
        else:
            data = workbook_bytes(render_xlsx(stats, **signed))
        if options["output"]:
            with open(options["output"], "wb") as out:
                out.write(data)
        elif fmt == "json":
            self.stdout.write(data.decode(), ending="")
        else:
            self.stdout.flush()
            sys.stdout.buffer.write(data)
