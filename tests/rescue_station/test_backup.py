"""Backup and restore: the demo with a photo and a finalised evaluation, backed up and restored.

The suite runs once on SQLite and once on PostgreSQL; these tests restore into a fresh database of
the same kind (a new SQLite file, or a new PostgreSQL database ``rs_backup_…`` that they drop),
through ``manage.py restore`` in a subprocess, as an operator would.

The demo is loaded once for the module and committed (pg_dump is another session and sees
committed rows only); the module flushes the database when it is done, as a transactional test does.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.test import override_settings
from PIL import Image

from cases.models import Person
from performance.models import Evaluation, Framework
from performance.selectors import compute_report, evaluation_for
from performance.services import evaluation_finalise, framework_update, indicator_notes_set
from rescue_station import backup
from rescue_station.models import User

ROOT = Path(__file__).resolve().parents[2]


# --- what is compared between the source and the restored copy ------------------------------


def row_counts() -> dict[str, int]:
    """Rows of every model, the many-to-many tables and history tables included."""
    return {
        m._meta.label: m._base_manager.count() for m in apps.get_models(include_auto_created=True)
    }


def stored_files() -> dict[str, str | None]:
    """Every file a row names (photos, evidence, stored PDFs) -> SHA-256 of its stored bytes."""
    found: dict[str, str | None] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                for name in model._base_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                ):
                    found[name] = _stored_sha256(name)
    return found


def _stored_sha256(name: str) -> str | None:
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


FACTS_SCRIPT = (
    "import json, django; django.setup();"
    "from tests.rescue_station.test_backup import row_counts, stored_files;"
    "print(json.dumps({'counts': row_counts(), 'files': stored_files()}))"
)


@dataclass(frozen=True)
class Facts:
    counts: dict[str, int]
    files: dict[str, str | None]
    metrics: dict
    evaluations: dict[int, dict]
    pdf_sha256: str


# --- the source: the demo, a photo, a finalised 2025, one archive -----------------------------


@dataclass(frozen=True)
class Source:
    archive: Path
    facts: Facts
    photo_name: str
    photo: bytes
    evaluation: Evaluation


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _finalise_2025() -> Evaluation:
    """The 2025 evaluation finalised through the service, its missing notes written first."""
    framework = Framework.objects.get(station__code="zhuzhou", year=2025)
    evaluation = evaluation_for(framework)
    if evaluation.is_final:  # a demo that finalises 2025 itself
        return evaluation
    supervisor = User.objects.get(username="supervisor")
    if not framework.budget_deviation:
        framework_update(framework=framework, acting_user=supervisor, budget_deviation="预算调整")
    lines = {name for finding in compute_report(framework).errors for name in finding.lines}
    for indicator in framework.indicators.filter(name__in=lines):
        indicator_notes_set(
            indicator=indicator, deviation="偏差原因", measure="改进措施", acting_user=supervisor
        )
    return evaluation_finalise(framework=framework, acting_user=supervisor)


def _command_json(*args: str) -> dict:
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def source(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Source]:
    root = tmp_path_factory.mktemp("source")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=root / "media"):
        try:
            call_command("load_demo", "--allow-without-debug", stdout=StringIO())
            person = Person.objects.order_by("pk").first()
            person.photo.save("photo.png", ContentFile(_png()), save=True)
            evaluation = _finalise_2025()
            archive = root / "backups" / "zhuzhou.tar.gz"
            archive.parent.mkdir()
            call_command("backup", str(archive), stdout=StringIO())
            facts = Facts(
                counts=row_counts(),
                files=stored_files(),
                metrics=_command_json(
                    "metrics", "--station", "zhuzhou", "--year", "2024", "--format", "json"
                ),
                evaluations={
                    year: _command_json(
                        "evaluation_report", "--station", "zhuzhou", "--year", str(year)
                    )
                    for year in (2024, 2025)
                },
                pdf_sha256=evaluation.pdf_sha256,
            )
            yield Source(archive, facts, person.photo.name, _png(), evaluation)
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def live_db(source, django_db_blocker) -> Iterator[None]:
    """The module's committed demo, outside any test transaction (as cron runs a backup)."""
    with django_db_blocker.unblock():
        yield


# --- targets: a fresh database of the suite's vendor and a throwaway MEDIA_ROOT ---------------


@dataclass(frozen=True)
class Target:
    url: str
    media: Path
    name: str  # the SQLite file or the PostgreSQL database

    def run(self, *args: str) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "rescue_station.settings",
            "DATABASE_URL": self.url,
            "MEDIA_ROOT": str(self.media),
        }
        return subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=300,
        )

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return self.run(str(ROOT / "manage.py"), *args)

    def restore(self, archive: Path, *flags: str) -> subprocess.CompletedProcess:
        return self.manage("restore", str(archive), *flags)

    def facts(self, source: Source) -> Facts:
        got = json.loads(_ok(self.run("-c", FACTS_SCRIPT)))
        year = ["--station", "zhuzhou", "--year"]
        pdf = self.media.parent / f"{self.media.name}-2025.pdf"
        _ok(
            self.manage("evaluation_report", *year, "2025", "--format", "pdf", "--output", str(pdf))
        )
        return Facts(
            counts=got["counts"],
            files=got["files"],
            metrics=json.loads(_ok(self.manage("metrics", *year, "2024", "--format", "json"))),
            evaluations={
                y: json.loads(_ok(self.manage("evaluation_report", *year, str(y))))
                for y in (2024, 2025)
            },
            pdf_sha256=hashlib.sha256(pdf.read_bytes()).hexdigest(),
        )

    def tables(self) -> list[str]:
        if connection.vendor == "sqlite":
            if not Path(self.name).exists():
                return []
            with closing(sqlite3.connect(self.name)) as db:
                rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                return sorted(r[0] for r in rows)
        with _pg(self.name) as db:
            rows = db.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
            return sorted(r[0] for r in rows)

    def execute(self, sql: str) -> list[tuple]:
        if connection.vendor == "sqlite":
            with closing(sqlite3.connect(self.name)) as db, db:
                return db.execute(sql).fetchall()
        with _pg(self.name) as db:
            cursor = db.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def media_files(self) -> list[Path]:
        return (
            sorted(p for p in self.media.rglob("*") if p.is_file()) if self.media.exists() else []
        )


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@contextmanager
def _pg(dbname: str):
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(
        dbname=dbname,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        autocommit=True,
    ) as db:
        yield db


def _pg_url(dbname: str) -> str:
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        credentials += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or ""
    if host.startswith("/"):  # a socket directory (django-environ reads it from the query)
        return f"postgres://{credentials}@/{dbname}?host={host}"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{dbname}"


@contextmanager
def new_target(directory: Path) -> Iterator[Target]:
    media = directory / "media"
    if connection.vendor == "sqlite":
        path = directory / "restored.sqlite3"
        yield Target(url=f"sqlite:///{path}", media=media, name=str(path))
        return
    name = f"rs_backup_{uuid.uuid4().hex[:12]}"
    with _pg("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Target(url=_pg_url(name), media=media, name=name)
    finally:
        with _pg("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def target(tmp_path) -> Iterator[Target]:
    with new_target(tmp_path) as made:
        yield made


@pytest.fixture(scope="module")
def restored(source, tmp_path_factory) -> Iterator[tuple[Target, Facts]]:
    with new_target(tmp_path_factory.mktemp("restored")) as made:
        _ok(made.restore(source.archive))
        yield made, made.facts(source)


# --- the round trip ---------------------------------------------------------------------------


def test_the_source_holds_the_records_and_files_the_round_trip_compares(source):
    assert source.facts.counts["cases.Stay"] > 1000
    assert source.facts.files[source.photo_name] == hashlib.sha256(source.photo).hexdigest()
    assert source.facts.files[source.evaluation.pdf.name] == source.facts.pdf_sha256
    assert source.facts.evaluations[2025]["status"] == "final"
    assert source.facts.metrics["metrics"]["cases.intakes"]["value"] == "1826"


def test_it_restores_the_same_row_count_of_every_model(source, restored):
    _, facts = restored
    assert facts.counts == source.facts.counts


def test_it_restores_the_same_2024_metrics(source, restored):
    _, facts = restored
    assert facts.metrics == source.facts.metrics


def test_it_restores_the_same_2024_and_finalised_2025_evaluations(source, restored):
    _, facts = restored
    assert facts.evaluations == source.facts.evaluations


def test_it_restores_the_finalised_pdf_with_its_sha256(source, restored):
    _, facts = restored
    assert facts.pdf_sha256 == source.facts.pdf_sha256 == source.evaluation.pdf_sha256


def test_it_restores_the_photo_and_every_stored_file_byte_for_byte(source, restored):
    made, facts = restored
    assert (made.media / source.photo_name).read_bytes() == source.photo
    assert facts.files == source.facts.files


def test_the_manifest_lists_the_database_migrations_and_every_file(source):
    manifest = backup.archive_check(path=source.archive).manifest
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_persons_and_stays" in manifest["migrations"]["cases"]
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert listed == {k: v for k, v in source.facts.files.items() if v is not None}


# --- the archive file -------------------------------------------------------------------------


def test_the_archive_is_readable_by_its_owner_only(source):
    assert stat.S_IMODE(source.archive.stat().st_mode) == 0o600


def test_it_is_created_0600_whatever_the_umask_and_leaves_no_temporary_file(live_db, tmp_path):
    path = tmp_path / "backup.tar.gz"
    old = os.umask(0)
    try:
        call_command("backup", str(path), stdout=StringIO())
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["backup.tar.gz"]


def test_a_failed_backup_keeps_the_previous_archive_and_leaves_nothing_else(
    live_db, tmp_path, monkeypatch
):
    path = tmp_path / "backup.tar.gz"
    path.write_bytes(b"yesterday's archive")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(backup, "_media_files", fail)
    with pytest.raises(CommandError, match="disk full"):
        call_command("backup", str(path), stdout=StringIO())
    assert path.read_bytes() == b"yesterday's archive"
    assert [p.name for p in tmp_path.iterdir()] == ["backup.tar.gz"]


def test_a_backup_inside_a_transaction_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="outside a transaction"):
        call_command("backup", str(tmp_path / "x.tar.gz"), stdout=StringIO())
    assert list(tmp_path.iterdir()) == []


# --- checking ---------------------------------------------------------------------------------


def _rewrite(archive: Path, out: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of the archive with each member's bytes passed through ``change``."""
    with tarfile.open(archive, "r:gz") as old, tarfile.open(out, "w:gz") as new:
        for info in old:
            data = change(info.name, old.extractfile(info).read())
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return out


def _flip_first_byte(name: str):
    def change(member: str, data: bytes) -> bytes:
        return bytes([data[0] ^ 0xFF]) + data[1:] if member == name else data

    return change


def test_check_accepts_the_intact_archive(source):
    out = StringIO()
    call_command("restore", "--check", str(source.archive), stdout=out)
    assert "Archive intact" in out.getvalue()


def test_a_changed_byte_in_a_file_is_refused_by_check(source, tmp_path):
    bad = _rewrite(
        source.archive, tmp_path / "bad.tar.gz", _flip_first_byte("media/" + source.photo_name)
    )
    with pytest.raises(CommandError, match=re.escape(f"media/{source.photo_name} is damaged")):
        call_command("restore", "--check", str(bad), stdout=StringIO())


def test_a_changed_byte_in_the_database_dump_is_refused_by_check(source, tmp_path):
    member = backup.DATABASE_MEMBERS[connection.vendor]
    bad = _rewrite(source.archive, tmp_path / "bad.tar.gz", _flip_first_byte(member))
    with pytest.raises(CommandError, match=re.escape(f"{member} is damaged")):
        call_command("restore", "--check", str(bad), stdout=StringIO())


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(
            lambda data: data[:1000] + bytes([data[1000] ^ 0x01]) + data[1001:], id="byte"
        ),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-4] + bytes(b ^ 0xFF for b in data[-4:]), id="trailer"),
    ],
)
def test_a_damaged_archive_file_is_refused_by_check(source, tmp_path, damage):
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(damage(source.archive.read_bytes()))
    with pytest.raises(CommandError, match=r"damaged|incomplete"):
        call_command("restore", "--check", str(bad), stdout=StringIO())


def test_an_archive_missing_a_listed_file_is_refused_by_check(source, tmp_path):
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(source.archive, "r:gz") as old, tarfile.open(bad, "w:gz") as new:
        for info in old:
            if info.name != "media/" + source.photo_name:
                new.addfile(info, old.extractfile(info))
    with pytest.raises(CommandError, match="missing from the archive"):
        call_command("restore", "--check", str(bad), stdout=StringIO())


# --- restore's refusals -----------------------------------------------------------------------


def test_restore_refuses_a_changed_file_and_changes_nothing(source, target, tmp_path):
    bad = _rewrite(
        source.archive, tmp_path / "bad.tar.gz", _flip_first_byte("media/" + source.photo_name)
    )
    result = target.restore(bad)
    assert result.returncode != 0
    assert f"media/{source.photo_name} is damaged" in result.stderr
    assert target.tables() == []
    assert target.media_files() == []


def test_restore_refuses_a_database_with_tables_unless_forced(source, target):
    target.execute("CREATE TABLE keep (note varchar(20))")
    target.execute("INSERT INTO keep VALUES ('still here')")

    refused = target.restore(source.archive)
    assert refused.returncode != 0
    assert "is not empty" in refused.stderr and "--force" in refused.stderr
    assert target.tables() == ["keep"]
    assert target.execute("SELECT note FROM keep") == [("still here",)]
    assert target.media_files() == []

    _ok(target.restore(source.archive, "--force"))
    assert "keep" not in target.tables()
    assert json.loads(_ok(target.run("-c", FACTS_SCRIPT)))["counts"] == source.facts.counts


def test_restore_refuses_a_stored_file_with_other_bytes_and_changes_nothing(source, target):
    photo = target.media / source.photo_name
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"another photo")

    refused = target.restore(source.archive)
    assert refused.returncode != 0 and "exists with other contents" in refused.stderr
    assert target.tables() == []
    assert photo.read_bytes() == b"another photo"


def test_restore_refuses_an_archive_of_another_database_vendor(source, target, tmp_path):
    ours = backup.DATABASE_MEMBERS[connection.vendor]
    other = next(v for v in backup.DATABASE_MEMBERS if v != connection.vendor)

    def swap(member: str, data: bytes) -> bytes:
        if member != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"].update(vendor=other, member=backup.DATABASE_MEMBERS[other])
        return json.dumps(manifest).encode()

    forged = tmp_path / "other.tar.gz"
    with tarfile.open(source.archive, "r:gz") as old, tarfile.open(forged, "w:gz") as new:
        for info in old:
            data = swap(info.name, old.extractfile(info).read())
            if info.name == ours:
                info.name = backup.DATABASE_MEMBERS[other]
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    call_command("restore", "--check", str(forged), stdout=StringIO())  # intact, only foreign

    result = target.restore(forged)
    assert result.returncode != 0
    assert (
        f"holds a {backup.VENDOR_NAMES[other]} database and DATABASE_URL names a "
        f"{backup.VENDOR_NAMES[connection.vendor]} one" in result.stderr
    )
    assert target.tables() == []
    assert target.media_files() == []
