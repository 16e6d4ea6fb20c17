"""`make bench`: how long the figures take on a large station, against targets.

Builds (once) a benchmark station with BENCH_STAYS stays (default 200,000) spread over 2023-2025
in the database of BENCH_DATABASE_URL (default: a SQLite file var/bench.sqlite3), then measures:
- every registered metric of one year for that station (the query behind dashboards and the
  self-evaluation), median of 5 runs, and the peak Python memory of one run;
- the demo's 2024 self-evaluation as JSON and as PDF, when the performance app provides them;
- the dashboards on the benchmark station (with the demo's 2024 framework copied onto it): every
  metric of both stations in one grouped call, the 31 July monitoring of its 2024, the station
  head's overview of its 2024 (by month, this year against last), the stations side by side;
- a 10,000-row intake ledger import, previewed and committed (``benchmarks/imports.py``);
- the stay list's pages through the test client, on the benchmark station against the demo's
  (large over small at most 1.5, or less than 5 ms apart), and the stock Django admin changelist
  of the same stays (benchmarks/urls.py) in the same run, which ours must beat.
Exits 1 when a measure misses its target. Writes the pages' figures to var/bench/report.json.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rescue_station.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
)

import django  # noqa: E402

django.setup()

from datetime import date  # noqa: E402

from django.core.management import call_command, get_commands  # noqa: E402

from benchmarks import imports  # noqa: E402
from benchmarks.data import bench_station  # noqa: E402
from rescue_station import registry  # noqa: E402

TARGETS = {
    "metrics_year_seconds": 1.5,
    "metrics_year_peak_mib": 50.0,
    "evaluation_json_seconds": 1.0,
    "evaluation_pdf_seconds": 3.0,
    "metrics_two_stations_seconds": 1.5,
    "monitoring_31_july_seconds": 2.0,
    # 24 monthly queries (this year and last), each over every stay that can touch its month:
    # about 5 s on SQLite with 200,000 stays on this machine.
    "head_overview_seconds": 8.0,
    "region_seconds": 2.0,
    # A 10,000-row intake ledger (see benchmarks/imports.py): read and checked for the preview,
    # then read, checked and written in one transaction (the commit includes the preview's
    # work). CPU time on this machine (loaded by other work), SQLite / PostgreSQL: preview
    # about 2.3 s -> 2.0 s; commit 5.5-5.8 / 5.4-6.0 s -> 4.1-4.3 / 4.0 s, after: persons and
    # stays written by rescue_station.bulk (one INSERT ... RETURNING per batch, values prepared
    # once per field type; UNNEST on PostgreSQL) instead of bulk_create, the plausible rules
    # listed once per model, the fields a row leaves at their defaults checked once per file,
    # history values kept without copying instances. What is left: openpyxl's cell parsing
    # (about 1 s; this file's strings are inline), one full_clean of a person and a stay per
    # row, the database's own insert of 10,000 stays, 8,000 persons and 20,000 history rows.
    # "A few seconds" (issue 10): the target is 5 s; 3 s is not reached yet.
    "import_10000_preview_seconds": 5.0,
    "import_10000_commit_seconds": 5.0,
}


def _median_seconds(func: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_mib(func: Callable[[], object]) -> float:
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    stays = int(os.environ.get("BENCH_STAYS", "200000"))
    station = bench_station(stays)
    year = lambda: registry.compute_all(station, date(2024, 1, 1), date(2024, 12, 31))  # noqa: E731
    results = {
        "metrics_year_seconds": _median_seconds(year),
        "metrics_year_peak_mib": _peak_mib(year),
    }
    if "evaluation_report" in get_commands():
        call_command("load_demo", verbosity=0)
        results["evaluation_json_seconds"] = _median_seconds(
            lambda: call_command(
                "evaluation_report",
                "--station",
                "zhuzhou",
                "--year",
                "2024",
                "--format",
                "json",
                "--output",
                str(ROOT / "var" / "bench-evaluation.json"),
            ),
            runs=3,
        )
        results["evaluation_pdf_seconds"] = _median_seconds(
            lambda: call_command(
                "evaluation_report",
                "--station",
                "zhuzhou",
                "--year",
                "2024",
                "--format",
                "pdf",
                "--output",
                str(ROOT / "var" / "bench-evaluation.pdf"),
            ),
            runs=3,
        )
        results.update(_dashboards(station))
    results.update(imports.measure(10000))
    failed = False
    if "evaluation_report" in get_commands():
        failed |= _report_pages(station)
    print(f"benchmark station: {stays} stays, {len(registry.all_metrics())} metrics")
    for name, value in results.items():
        target = TARGETS[name]
        ok = value <= target
        failed |= not ok
        print(f"{name:<28} {value:10.3f}   target <= {target:<6} {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


def _dashboards(station) -> dict[str, float]:
    """Time the dashboards' reads on the benchmark station next to the demo's."""
    from dashboards.selectors import overview, region
    from performance.models import Framework
    from performance.monitoring_report import compute_monitoring
    from performance.services import framework_create, indicator_save
    from rescue_station.models import Station, User
    from rescue_station.services import membership_grant

    demo = Station.objects.get(code="zhuzhou")
    source = Framework.objects.get(station=demo, year=2024)
    admin = User.objects.get(username="admin")
    framework = Framework.objects.filter(station=station, year=2024).first()
    if framework is None:
        framework = framework_create(station=station, year=2024, acting_user=admin)
        for i in source.indicators.all():
            indicator_save(
                framework=framework,
                acting_user=admin,
                **{f: getattr(i, f) for f in ("order", "level1", "level2", "name", "comparator")},
                **{f: getattr(i, f) for f in ("target", "unit", "weight", "metric_key")},
            )
    bureau = User.objects.get(username="bureau_supervisor")
    membership_grant(user=bureau, station=station)
    keys = [m.key for m in registry.all_metrics()]
    both = [station, demo]
    return {
        "metrics_two_stations_seconds": _median_seconds(
            lambda: registry.compute_for_stations(keys, both, date(2024, 1, 1), date(2024, 12, 31))
        ),
        "monitoring_31_july_seconds": _median_seconds(
            lambda: compute_monitoring(framework, date(2024, 7, 31)), runs=3
        ),
        "head_overview_seconds": _median_seconds(
            lambda: overview(bureau, station, date(2025, 12, 31), 2024), runs=3
        ),
        "region_seconds": _median_seconds(lambda: region(bureau, 2024, date(2025, 12, 31)), runs=3),
    }


# Large over small: at most this ratio, or less than FLAT_MS apart (issue 13, "flat pages").
FLAT_RATIO = 1.5
FLAT_MS = 5.0


def _timed_get(client, url: str, runs: int = 7) -> tuple[float, int]:
    """Median milliseconds of GET ``url`` (after one warm-up) and the queries of one request."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # each request resets the log (DEBUG): the capture must start at zero
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return _median_seconds(lambda: client.get(url), runs=runs) * 1000, len(queries)


def _client_for(username: str, station, **fields):
    """A test client logged in as a user of ``station`` alone (created once)."""
    from django.test import Client

    from rescue_station.models import User
    from rescue_station.roles import Role
    from rescue_station.services import membership_grant, user_set_role

    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_unusable_password()
        user.save()
        if not user.is_superuser:
            user_set_role(user=user, role=Role.STATION_STAFF)
        membership_grant(user=user, station=station)
    client = Client()
    client.force_login(user)
    return client


def _stay_pages(station) -> tuple[list[dict], dict[str, float]]:
    """The stay list and its search on the benchmark station against the demo's, and the stock
    admin changelist of the same stays, timed in one run."""
    from urllib.parse import urlencode

    from django.test import override_settings
    from django.urls import reverse

    from cases.models import Person
    from rescue_station.models import Station

    demo = Station.objects.get(code="zhuzhou")
    small = _client_for("bench_demo_staff", demo)
    large = _client_for("bench_staff", station)
    superuser = _client_for("bench_superuser", station, is_superuser=True, is_staff=True)
    # A full name of three characters or more (the search by containment), from each station.
    small_name = next(
        n
        for n in Person.objects.filter(station=demo).values_list("name", flat=True).order_by("pk")
        if len(n) >= 3
    )
    large_name = (
        Person.objects.filter(station=station).order_by("-pk").values_list("name", flat=True)[1000]
    )
    pages = []
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        stays = reverse("cases:stay_list")
        for name, small_query, large_query in (
            ("stay list", {}, {}),
            ("stay search by name", {"q": small_name}, {"q": large_name}),
        ):
            small_ms, small_queries = _timed_get(small, f"{stays}?{urlencode(small_query)}")
            large_ms, large_queries = _timed_get(large, f"{stays}?{urlencode(large_query)}")
            pages.append(
                {
                    "name": name,
                    "small_ms": round(small_ms, 1),
                    "large_ms": round(large_ms, 1),
                    "ratio": round(large_ms / small_ms, 2),
                    "small_queries": small_queries,
                    "large_queries": large_queries,
                }
            )
        changelist = reverse("bench_admin:cases_stay_changelist")
        admin = {
            "admin_changelist_ms": _timed_get(superuser, changelist)[0],
            "admin_search_ms": _timed_get(
                superuser, f"{changelist}?{urlencode({'q': large_name})}"
            )[0],
        }
    return pages, {k: round(v, 1) for k, v in admin.items()}


def _report_pages(station) -> bool:
    """Print the pages' figures, write them to var/bench/report.json; True when a goal is missed."""
    pages, admin = _stay_pages(station)
    failed = False
    print(f"{'page':<24} {'small ms':>9} {'large ms':>9} {'ratio':>6} {'queries':>9}")
    for page in pages:
        flat = page["ratio"] <= FLAT_RATIO or page["large_ms"] - page["small_ms"] < FLAT_MS
        failed |= not flat
        print(
            f"{page['name']:<24} {page['small_ms']:9.1f} {page['large_ms']:9.1f}"
            f" {page['ratio']:6.2f} {page['small_queries']:4}/{page['large_queries']:<4}"
            f" {'ok' if flat else 'MISSED (not flat)'}"
        )
    by_name = {p["name"]: p["large_ms"] for p in pages}
    for ours, stock in (
        ("stay list", "admin_changelist_ms"),
        ("stay search by name", "admin_search_ms"),
    ):
        faster = by_name[ours] < admin[stock]
        failed |= not faster
        print(
            f"{stock:<24} {admin[stock]:9.1f}   {ours} {by_name[ours]:.1f} ms"
            f" {'ok (faster)' if faster else 'MISSED (stock admin is faster)'}"
        )
    out = ROOT / "var" / "bench" / "report.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"machine": platform.node(), "pages": pages, **admin}, indent=2) + "\n"
    )
    return failed


if __name__ == "__main__":
    sys.exit(main())
