"""The embedded SQLite default holds a station's concurrent writers (WAL, immediate writes, a
busy timeout): eight clerks registering intakes at the same moment all succeed, and the unknown
persons among them get distinct placeholder numbers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh process on a real SQLite file: the suite's own test database may be PostgreSQL
# or an in-memory SQLite database, neither of which has the file locking under test.
SCRIPT = r"""
import json, sys, threading
from datetime import datetime, timedelta
import django
django.setup()
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

call_command("migrate", verbosity=0)
from cases import services
from cases.models import Stay
from rescue_station.models import Station, User

station = Station.objects.create(name="并发站", code="concurrency", region_code="430200", region_name="株洲市")
clerk = User.objects.create_user(username="clerk", password="x")
journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
THREADS, EACH = 8, 15
start = threading.Barrier(THREADS)
failures = []

def work(t):
    start.wait()
    try:
        for i in range(EACH):
            try:
                services.stay_register(
                    station=station, acting_user=clerk, source="self",
                    admitted_at=timezone.now() - timedelta(minutes=t * 100 + i),
                    identified=(i % 3 != 0),
                    person_data={"name": f"并发{t}-{i}", "gender": "male"},
                )
            except Exception as error:
                failures.append(repr(error))
    finally:
        connections.close_all()

threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(json.dumps({"journal": journal, "failures": failures, "saved": Stay.objects.count(),
                  "placeholders": sorted(Stay.objects.exclude(person__placeholder_no="").values_list("person__placeholder_no", flat=True)),
                  "expected": THREADS * EACH}))
"""


def test_eight_concurrent_writers_on_sqlite_all_succeed(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="rescue_station.settings",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["failures"] == [], outcome["failures"][:3]
    assert outcome["journal"] == "wal"
    assert outcome["failures"] == []
    assert outcome["saved"] == outcome["expected"]
    # Every unidentified intake got its own placeholder number (the writes serialise).
    placeholders = outcome["placeholders"]
    assert len(placeholders) == 8 * 5 and len(set(placeholders)) == len(placeholders)
