from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import stations
from rescue_station.selectors import local_today


class Command(BaseCommand):
    help = (
        "Load the demo (株洲市救助管理站, a user per role, 2024 to today). Idempotent. Touches only "
        "the station and users it created; refuses to run with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo station's records first"
        )
        parser.add_argument(
            "--adopt",
            action="store_true",
            help=(
                "take over the station coded zhuzhou and the users named after the roles although "
                "load_demo did not mark them as its own (a development database loaded before "
                "the demo markers); never on a real station's database"
            ),
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="run although DEBUG is off (the demo's users have a public password)",
        )

    def handle(
        self,
        *args,
        reset: bool = False,
        adopt: bool = False,
        allow_without_debug: bool = False,
        **options,
    ) -> None:
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "DEBUG is off, so this may be a production database: load_demo creates users "
                "with a public password and was not run. Run it with DEBUG=true on a development "
                "database, or add --allow-without-debug if you mean it."
            )
        try:
            loaded = stations.load(today=local_today(), reset=reset, adopt=adopt)
        except stations.DemoRefused as error:
            raise CommandError(str(error)) from error
        if loaded.left_alone:
            stand_ins = ", ".join(
                f"{name} by {stations.demo_user(loaded.users, name).username}"
                for name in loaded.left_alone
            )
            self.stderr.write(
                self.style.WARNING(
                    f"Left untouched: {', '.join(loaded.left_alone)}, existing users not created "
                    "by load_demo (password, role, groups, permissions and memberships unchanged). "
                    f"The demo work of their roles is done by other demo users ({stand_ins}). "
                    "Only if they are leftovers of an earlier demo, take them over with --adopt."
                )
            )
        station = loaded.station
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {station.name} ({station.code})"))
