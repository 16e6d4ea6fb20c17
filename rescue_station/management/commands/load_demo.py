from django.core.management.base import BaseCommand

from rescue_station import demo
from rescue_station.selectors import local_today


class Command(BaseCommand):
    help = "Load the demo (株洲市救助管理站, a user per role, 2024 to today). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo station's records first"
        )

    def handle(self, *args, reset: bool = False, **options) -> None:
        station = demo.load(today=local_today(), reset=reset)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {station.name} ({station.code})"))
