import datetime

from django.core.management.base import BaseCommand, CommandError

from performance.exporters import MONITORING_EXPORTERS, monitoring_export
from performance.models import Framework
from rescue_station.commands import station_by_code, write_export
from rescue_station.selectors import local_today


class Command(BaseCommand):
    help = (
        "Write a station's mid-year performance monitoring (绩效运行监控表) of a year in progress as "
        "of a date, as JSON, PDF or XLSX: actuals to date, projected year-end values, judgments, "
        "the forecast score (a form marked as sent for that date, as it was sent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--station", required=True, help="station code, e.g. zhuzhou")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--as-of", required=True, help="ISO date inside the year, e.g. 2024-07-31"
        )
        parser.add_argument("--format", choices=list(MONITORING_EXPORTERS), default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, **options) -> None:
        station = station_by_code(options["station"])
        try:
            as_of = datetime.date.fromisoformat(options["as_of"])
        except ValueError:
            raise CommandError(f"not an ISO date: {options['as_of']!r}") from None
        if as_of.year != options["year"]:
            raise CommandError(f"{as_of} is not a day of {options['year']}")
        if as_of > local_today():
            raise CommandError(f"{as_of} is still to come: monitoring reads the records to date")
        framework = Framework.objects.filter(station=station, year=options["year"]).first()
        if framework is None:
            raise CommandError(f"no framework for {station.code} {options['year']}")
        export = monitoring_export(framework, as_of, options["format"])
        write_export(self, export, options["output"])
