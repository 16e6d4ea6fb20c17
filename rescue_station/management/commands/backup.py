from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rescue_station import backup


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz, readable by its owner only) of the database and every file "
        "under MEDIA_ROOT, with a manifest of SHA-256s. Check it with `restore --check PATH`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive to write, e.g. /backups/x.tar.gz")

    def handle(self, *args, path: Path, **options) -> None:
        try:
            outcome = backup.backup_create(path=path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {outcome.path} ({_megabytes(outcome.size)}, "
                f"{backup.VENDOR_NAMES[outcome.vendor]} database, {len(outcome.files)} files)"
            )
        )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
