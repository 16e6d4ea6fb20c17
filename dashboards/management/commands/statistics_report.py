from django.core.management.base import BaseCommand, CommandError

from cases.statistics import PeriodError, station_statistics, statistics_period
from dashboards.exporters import STATISTICS_EXPORTERS
from rescue_station.commands import iso_date, station_by_code, write_export
from rescue_station.selectors import local_today


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
        parser.add_argument("--format", choices=list(STATISTICS_EXPORTERS), default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--filled-by", default="", help="who filled the form in (XLSX and PDF)")

    def handle(self, *args, **options) -> None:
        station = station_by_code(options["station"])
        try:
            start, end = statistics_period(options["year"], options["start"], options["end"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        stats = station_statistics(station, start, end)
        exporter = STATISTICS_EXPORTERS[options["format"]](
            stats, filled_by=options["filled_by"], filled_on=local_today()
        )
        write_export(self, exporter.render(), options["output"])
