import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from rescue_station import registry
from rescue_station.commands import iso_date, station_by_code
from rescue_station.query import YEAR_MIN, year_max


class Command(BaseCommand):
    help = (
        "Print every registered metric of a station for a year or a period (both ends inclusive)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--station", required=True, help="station code, e.g. zhuzhou")
        parser.add_argument("--year", type=int)
        parser.add_argument("--start", type=iso_date)
        parser.add_argument("--end", type=iso_date)
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **options) -> None:
        station = station_by_code(options["station"])
        start, end = self._period(options)
        values = registry.compute_all(station, start, end)
        metrics = registry.all_metrics()
        if options["format"] == "json":
            payload = {
                "station": station.code,
                "station_name": station.name,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "metrics": {
                    m.key: {
                        "label": m.label,
                        "unit": m.unit,
                        "value": registry.format_value(m, values[m.key]),
                    }
                    for m in metrics
                },
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{station.name} ({station.code})  {start} — {end}")
        width = max((len(m.key) for m in metrics), default=10)
        for m in metrics:
            value = registry.format_value(m, values[m.key])
            self.stdout.write(
                f"{m.key:<{width}}  {value if value is not None else '—':>14}  {m.unit}  {m.label}"
            )

    def _period(self, options: dict) -> tuple[date, date]:
        year, start, end = options["year"], options["start"], options["end"]
        if year is not None:
            if start or end:
                raise CommandError("give either --year or --start and --end, not both")
            _check_year(year)
            return date(year, 1, 1), date(year, 12, 31)
        if start is None or end is None:
            raise CommandError("give --year, or both --start and --end")
        if start > end:
            raise CommandError("--start is after --end")
        _check_year(start.year)
        _check_year(end.year)
        return start, end


def _check_year(year: int) -> None:
    """The pages' range of years (rescue_station.query): no record is older or further ahead."""
    if not YEAR_MIN <= year <= year_max():
        raise CommandError(f"the period must lie in the years {YEAR_MIN} to {year_max()}: {year}")
