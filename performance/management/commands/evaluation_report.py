from django.core.management.base import BaseCommand, CommandError

from performance.exporters import EVALUATION_EXPORTERS, evaluation_export
from performance.models import Framework
from rescue_station.commands import station_by_code, write_export


class Command(BaseCommand):
    help = (
        "Write a station's self-evaluation of a year as JSON, HTML, PDF or XLSX (a finalised "
        "evaluation from its frozen figures)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--station", required=True, help="station code, e.g. zhuzhou")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=list(EVALUATION_EXPORTERS), default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, **options) -> None:
        station = station_by_code(options["station"])
        framework = Framework.objects.filter(station=station, year=options["year"]).first()
        if framework is None:
            raise CommandError(f"no framework for {station.code} {options['year']}")
        export = evaluation_export(framework, options["format"])
        write_export(self, export, options["output"])
