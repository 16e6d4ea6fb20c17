from django.core.management.base import BaseCommand, CommandError

from rescue_station.models import User
from rescue_station.services import membership_grant_region


class Command(BaseCommand):
    help = "Grant a user (a bureau supervisor) every station whose region code starts with PREFIX."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("prefix", help="region code prefix: 43 = all of Hunan, 4302 = Zhuzhou")

    def handle(self, *args, username: str, prefix: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"unknown user: {username!r}")
        try:
            stations = membership_grant_region(user=user, region_prefix=prefix)
        except ValueError as error:
            raise CommandError(str(error)) from None
        names = "、".join(s.name for s in stations) or "-"
        self.stdout.write(f"{user.username}: {len(stations)} station(s): {names}")
