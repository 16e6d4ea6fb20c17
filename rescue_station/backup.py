"""Backup archives: the database and every stored file, with a manifest of SHA-256s.

An archive is one gzip-compressed tar file:

- ``database.sqlite3`` (a copy made through SQLite's online backup API) or ``database.pgdump``
  (``pg_dump -Fc``), made first;
- ``media/<path>``: every regular file under ``MEDIA_ROOT`` (photos of persons, evidence files,
  the stored PDFs of finalised self-evaluations), read after the database, so that every file a
  row names is there (a file uploaded during the backup may come along without its row: harmless);
- ``manifest.json``, last (a truncated archive has none, and is refused): format and version,
  when, the database vendor, the applied migrations, and the size and SHA-256 of every member.

The SHA-256 of each member is computed over the very bytes written into the tar, so a file that
changes while it is read cannot leave a manifest that disagrees with the archive. Restoring checks
every member against the manifest before it changes anything.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "rescue-station-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024
# Photos, PDFs and pg_dump output are compressed already; 6 is nearly as small as 9, and faster.
COMPRESSLEVEL = 6


class BackupError(Exception):
    """An archive cannot be written, read or restored; the message says why, for an operator."""


@dataclass(frozen=True)
class Member:
    name: str  # the name inside the tar
    size: int
    sha256: str


@dataclass(frozen=True)
class Outcome:
    manifest: dict[str, Any]
    path: Path
    size: int  # bytes of the archive

    @property
    def files(self) -> list[dict[str, Any]]:
        return self.manifest["files"]

    @property
    def vendor(self) -> str:
        return self.manifest["database"]["vendor"]


# --- writing ---------------------------------------------------------------------------------


def backup_create(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> Outcome:
    """Write the archive to ``path``: mode 0600 from its creation, renamed into place when whole."""
    connection = connections[using]
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"cannot back up a {connection.vendor} database")
    if connection.in_atomic_block:
        # The dump reads committed data only (pg_dump is another session).
        raise BackupError("a backup must run outside a transaction")
    path = _archive_path(path)
    # Staging beside the archive, in a 0700 directory: children's data never goes to /tmp.
    with _staging(path.parent) as staging:
        dump = staging / DATABASE_MEMBERS[connection.vendor]
        _dump_database(connection, dump)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "django": django.get_version(),
            "database": {"vendor": connection.vendor, "member": dump.name},
            "migrations": applied_migrations(connection),
            "files": [],
        }
        with _atomic_file(path) as raw:
            _write_tar(raw, manifest, dump, Path(settings.MEDIA_ROOT))
    return Outcome(manifest=manifest, path=path, size=path.stat().st_size)


def _archive_path(path: Path) -> Path:
    path = Path(path).absolute()
    if path.is_dir():
        raise BackupError(f"{path} is a directory: give the archive's file name")
    if not path.parent.is_dir():
        raise BackupError(f"no such directory: {path.parent}")
    return path


@contextlib.contextmanager
def _atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A new file that appears at ``path`` only once written whole; until then the old one stays.

    mkstemp creates it with mode 0600 (whatever the umask), so it is never readable by others,
    not even while it is being written.
    """
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw:
            yield raw
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise BackupError(f"could not write {path}: {error}") from error
        raise
    _fsync_directory(path.parent)


def _write_tar(raw: IO[bytes], manifest: dict[str, Any], dump: Path, media_root: Path) -> None:
    with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=COMPRESSLEVEL) as tar:
        database = _add_file(tar, dump.name, dump)
        manifest["database"].update(size=database.size, sha256=database.sha256)
        for relative, source in _media_files(media_root):
            member = _add_file(tar, MEDIA + relative, source)
            manifest["files"].append(
                {"path": relative, "size": member.size, "sha256": member.sha256}
            )
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
        info = _tarinfo(MANIFEST, len(data), timezone.now().timestamp())
        tar.addfile(info, io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, source: Path) -> Member:
    with source.open("rb") as f:
        stat = os.fstat(f.fileno())
        reader = _HashingReader(f)
        # tarfile copies exactly ``size`` bytes and fails if the file got shorter meanwhile.
        tar.addfile(_tarinfo(name, stat.st_size, stat.st_mtime), reader)
    return Member(name=name, size=stat.st_size, sha256=reader.hexdigest())


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o600
    return info


def _media_files(media_root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT, sorted; symbolic links are not followed."""
    if not media_root.is_dir():
        return
    found = []
    for directory, subdirectories, names in os.walk(media_root):
        subdirectories.sort()
        for name in names:
            source = Path(directory, name)
            if source.is_file() and not source.is_symlink():
                found.append((source.relative_to(media_root).as_posix(), source))
    yield from sorted(found)


def _dump_database(connection: BaseDatabaseWrapper, target: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # Created 0600 before SQLite opens it (the staging directory is 0700 as well).
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        with contextlib.closing(sqlite3.connect(target)) as copy:
            # The online backup API: a consistent copy while the app goes on writing.
            connection.connection.backup(copy)
        return
    _run_pg(
        ["pg_dump", "--format=custom", "--no-password", f"--file={target}"],
        connection.settings_dict,
        what="pg_dump",
    )


# --- reading and checking --------------------------------------------------------------------


def archive_check(*, path: Path) -> Outcome:
    """Read the whole archive and compare every member with the manifest; change nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no such archive: {path}")
    seen: dict[str, Member] = {}
    manifest_data = b""
    with _reading(path) as tar:
        for info in tar:
            name = _member_name(info)
            if name in seen or (name == MANIFEST and manifest_data):
                raise BackupError(f"the archive holds {name} twice")
            reader = _HashingReader(tar.extractfile(info))
            if name == MANIFEST:
                manifest_data = reader.read()
            else:
                while reader.read(CHUNK):
                    pass
                seen[name] = Member(name=name, size=info.size, sha256=reader.hexdigest())
    if not manifest_data:
        raise BackupError("the archive has no manifest: it is incomplete or not a backup")
    manifest = _parse_manifest(manifest_data)
    expected = _expected_members(manifest)
    for name in sorted(set(seen) - set(expected)):
        raise BackupError(f"the archive holds {name}, which its manifest does not list")
    for name, want in expected.items():
        got = seen.get(name)
        if got is None:
            raise BackupError(f"{name} is listed in the manifest but missing from the archive")
        if (got.size, got.sha256) != (want.size, want.sha256):
            raise BackupError(f"{name} is damaged: its SHA-256 or size differs from the manifest's")
    return Outcome(manifest=manifest, path=path, size=path.stat().st_size)


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[tarfile.TarFile]:
    """The archive as a stream of members; a damaged gzip or tar stream becomes a BackupError."""
    try:
        with gzip.open(path, "rb") as gz, tarfile.open(fileobj=gz, mode="r|") as tar:
            yield tar
            # Read to the end, so that gzip checks its trailer (CRC-32 and length) as well.
            while gz.read(CHUNK):
                pass
    except (tarfile.TarError, zlib.error, EOFError, gzip.BadGzipFile) as error:
        raise BackupError(f"the archive is damaged or not a backup: {error}") from error


def _member_name(info: tarfile.TarInfo) -> str:
    if not info.isreg():
        raise BackupError(f"the archive holds {info.name}, which is not a regular file")
    name = info.name
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name or name != pure.as_posix():
        raise BackupError(f"the archive holds an unsafe path: {name!r}")
    return name


def _parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise BackupError(f"the manifest is damaged: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("this is not an archive of the rescue station system")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"archive format version {manifest.get('version')!r}; this version reads {VERSION}"
        )
    vendor = manifest.get("database", {}).get("vendor")
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"the archive holds a database of an unknown kind: {vendor!r}")
    return manifest


def _expected_members(manifest: dict[str, Any]) -> dict[str, Member]:
    try:
        database = manifest["database"]
        members = [
            Member(DATABASE_MEMBERS[database["vendor"]], database["size"], database["sha256"])
        ]
        members += [Member(MEDIA + f["path"], f["size"], f["sha256"]) for f in manifest["files"]]
    except (KeyError, TypeError) as error:
        raise BackupError(f"the manifest is incomplete: {error}") from error
    return {m.name: m for m in members}


# --- restoring -------------------------------------------------------------------------------


def backup_restore(*, path: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> Outcome:
    """Put the archive's database and files back; refuse before changing anything.

    The database must have no tables (a new SQLite file, an empty PostgreSQL database) unless
    ``force``: then a SQLite database is replaced and a PostgreSQL one loses every table first.
    A file of the archive already in MEDIA_ROOT with other bytes is refused unless ``force``.
    """
    connection = connections[using]
    outcome = archive_check(path=path)
    vendor = outcome.vendor
    if vendor != connection.vendor:
        raise BackupError(
            f"the archive holds a {VENDOR_NAMES[vendor]} database and DATABASE_URL names a "
            f"{VENDOR_NAMES.get(connection.vendor, connection.vendor)} one: restore it into "
            f"a {VENDOR_NAMES[vendor]} database"
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        _refuse_differing_files(outcome.files, media_root)
    # Connecting creates a SQLite file that does not exist yet: the last of the checks.
    tables = connection.introspection.table_names()
    if tables and not force:
        raise BackupError(
            f"the database {connection.settings_dict['NAME']} is not empty ({len(tables)} "
            "tables): restore into a new, empty database, or give --force to replace its contents"
        )
    with _staging(_staging_parent(connection, media_root)) as staging:
        _extract(Path(path), outcome, staging, media_root)
        _load_database(connection, staging / DATABASE_MEMBERS[vendor], drop=bool(tables))
    return outcome


def _refuse_differing_files(files: list[dict[str, Any]], media_root: Path) -> None:
    for entry in files:
        existing = media_root / entry["path"]
        if existing.exists() and _sha256_of(existing) != entry["sha256"]:
            raise BackupError(
                f"{existing} exists with other contents: restore into an empty MEDIA_ROOT, "
                "or give --force to overwrite"
            )


def _staging_parent(connection: BaseDatabaseWrapper, media_root: Path) -> Path:
    if connection.vendor == "sqlite":
        return Path(connection.settings_dict["NAME"]).absolute().parent
    media_root.mkdir(parents=True, exist_ok=True)
    return media_root.parent


def _extract(path: Path, outcome: Outcome, staging: Path, media_root: Path) -> None:
    """Second pass: the database member into staging, each file into place (hashed again)."""
    expected = _expected_members(outcome.manifest)
    database = DATABASE_MEMBERS[outcome.vendor]
    with _reading(path) as tar:
        for info in tar:
            name = _member_name(info)
            if name == MANIFEST:
                continue
            source = tar.extractfile(info)
            if name == database:
                _write_verified(source, staging / name, expected[name], mode=0o600)
            else:
                target = media_root / name.removeprefix(MEDIA)
                _write_verified(source, target, expected[name], mtime=info.mtime)


def _write_verified(
    source: IO[bytes], target: Path, member: Member, *, mode: int = 0o666, mtime: int | None = None
) -> None:
    """Write ``target`` through a temporary file renamed into place once its SHA-256 matches."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.restore.tmp")
    reader = _HashingReader(source)
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(reader, out, CHUNK)
        if reader.hexdigest() != member.sha256:
            raise BackupError(f"{member.name} changed while it was restored")
        if mode != 0o600 and settings.FILE_UPLOAD_PERMISSIONS is not None:
            os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS)
        if mtime is not None:
            os.utime(temporary, (mtime, mtime))
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _load_database(connection: BaseDatabaseWrapper, dump: Path, *, drop: bool) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(dump)) as source:
            # Replaces every page of the target: the same as the database that was backed up.
            source.backup(connection.connection)
        return
    if drop:
        _drop_tables(connection)
    _run_pg(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        connection.settings_dict,
        what="pg_restore",
    )


def _drop_tables(connection: BaseDatabaseWrapper) -> None:
    """Every table and view the connection sees goes, whatever made it (--force)."""
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        relations = connection.introspection.get_table_list(cursor)
        for kind, statement in (("v", "DROP VIEW"), ("t", "DROP TABLE")):
            for relation in relations:
                if relation.type == kind:
                    cursor.execute(f"{statement} IF EXISTS {quote(relation.name)} CASCADE")


# --- migrations ------------------------------------------------------------------------------


def applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    """The migrations recorded in the database, by app."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def migration_drift(manifest: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(migrations of this code the archive lacks, migrations of the archive this code lacks)."""
    recorded = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return (
        sorted(f"{a}.{n}" for a, n in known - recorded),
        sorted(f"{a}.{n}" for a, n in recorded - known),
    )


# --- helpers ---------------------------------------------------------------------------------


def _run_pg(args: list[str], settings_dict: dict[str, Any], *, what: str) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(
            f"{args[0]} is not installed: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client)"
        )
    result = subprocess.run(args, env=_pg_env(settings_dict), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment psql would get from Django (password, SSL, service), plus where to go."""
    from django.db.backends.postgresql.client import DatabaseClient

    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = dict(env or {})
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return {**os.environ, **env}


@contextlib.contextmanager
def _staging(parent: Path) -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(dir=parent, prefix=".rescue-station-backup."))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """A file object that hashes what is read through it."""

    def __init__(self, raw: IO[bytes] | None) -> None:
        if raw is None:
            raise BackupError("the archive holds a member that cannot be read")
        self._raw = raw
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._digest.update(data)
        return data

    def hexdigest(self) -> str:
        return self._digest.hexdigest()
