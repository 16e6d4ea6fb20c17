from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rescue_station import backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into the database of DATABASE_URL (which must "
        "have no tables, unless --force) and MEDIA_ROOT, after checking every SHA-256. "
        "With --check, only check the archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive written by `backup`")
        parser.add_argument(
            "--check",
            action="store_true",
            help="check every member against the manifest and change nothing",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that has tables (SQLite: replaced; PostgreSQL: every "
            "table dropped first) and overwrite differing files in MEDIA_ROOT",
        )

    def handle(self, *args, path: Path, check: bool, force: bool, **options) -> None:
        if check and force:
            raise CommandError("--check changes nothing: it takes no --force")
        try:
            if check:
                outcome = backup.archive_check(path=path)
            else:
                outcome = backup.backup_restore(path=path, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = outcome.manifest
        summary = (
            f"{outcome.path}: {backup.VENDOR_NAMES[outcome.vendor]} database and "
            f"{len(outcome.files)} files of {manifest['created_at']}"
        )
        if check:
            self.stdout.write(self.style.SUCCESS(f"Archive intact: {summary}"))
            return
        self.stdout.write(self.style.SUCCESS(f"Restored {summary}"))
        missing, unknown = backup.migration_drift(manifest)
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(missing)} migrations of this code are not applied: run `migrate`"
                )
            )
        if unknown:
            self.stdout.write(
                self.style.WARNING(
                    "the archive was made by a newer version of the app (unknown migrations: "
                    + ", ".join(unknown)
                    + "): run that version"
                )
            )
