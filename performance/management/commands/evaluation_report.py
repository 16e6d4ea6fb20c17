import json
import sys

from django.core.management.base import BaseCommand, CommandError

from performance.models import Framework
from performance.rendering import render_html, render_pdf, render_xlsx
from performance.selectors import evaluation_for, evaluation_report
from rescue_station.commands import station_by_code
from rescue_station.spreadsheets import workbook_bytes


class Command(BaseCommand):
    help = (
        "Write a station's self-evaluation of a year as JSON, HTML, PDF or XLSX (a finalised "
        "evaluation from its frozen figures)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--station", required=True, help="station code, e.g. zhuzhou")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "html", "pdf", "xlsx"], default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, **options) -> None:
        station = station_by_code(options["station"])
        framework = Framework.objects.filter(station=station, year=options["year"]).first()
        if framework is None:
            raise CommandError(f"no framework for {station.code} {options['year']}")
        fmt = options["format"]
        evaluation = evaluation_for(framework)
        if fmt == "pdf" and evaluation.is_final and evaluation.pdf:
            with evaluation.pdf.open("rb") as stored:
                data = stored.read()  # the stored PDF: its SHA-256 is on record
        else:
            report = evaluation_report(framework)
            if fmt == "json":
                frozen = (
                    evaluation.snapshot if evaluation.is_final and evaluation.snapshot else None
                )
                payload = frozen["evaluation"] if frozen else report.to_json()
                data = (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode()
            elif fmt == "html":
                data = render_html(report).encode()
            elif fmt == "pdf":
                data = render_pdf(report)
            else:
                data = workbook_bytes(render_xlsx(report))
        if options["output"]:
            with open(options["output"], "wb") as out:
                out.write(data)
        elif fmt in ("json", "html"):
            self.stdout.write(data.decode(), ending="")
        else:
            self.stdout.flush()
            sys.stdout.buffer.write(data)
