"""`make load`: a bounded load test of a real server on loopback.

Serves the app with gunicorn (several workers, production settings: DEBUG off, static files
collected, only the secure-cookie and SSL-redirect variables turned off for plain HTTP on
127.0.0.1), then lets virtual users work at once for a while, each waiting ``--think`` seconds
between requests:
- staff users log intakes through the intake form (GET the form, POST it) and read the board,
  the stay list and the ticket list;
- supervisors read the head's dashboard and the stations side by side.

Measures requests per second, p50 and p95 per page, errors (any status other than the one a page
answers, or a failed connection), and intakes posted against intakes saved (counted in the
database afterwards by the run's own name tag). Writes ``var/load/report.json`` and exits 1 when a
goal is missed: no error, nothing lost, and on PostgreSQL p95 under 100 ms for the intake form and
the lists.

The database: ``LOAD_DATABASE_URL`` (default: the local PostgreSQL's ``rescue_station_load``; the
benchmark data set's database, ``BENCH_DATABASE_URL``, can be given instead), or with
``--sqlite`` the SQLite default (``var/load.sqlite3``). It is migrated and the demo loaded into it
first (its demo users do the work). Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = os.environ.get("DEMO_PASSWORD", "zhuzhou2024")
P95_GOAL_MS = 100.0
# Pages whose p95 has a goal (on PostgreSQL): the intake form and the lists.
GOAL_PAGES = ("intake form", "intake post", "stay list", "ticket list", "board")


@dataclass
class Sample:
    page: str
    ms: float
    ok: bool
    at: float = field(default_factory=time.monotonic)


@dataclass
class Tally:
    samples: list[Sample] = field(default_factory=list)
    intakes_posted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class _Inputs(HTMLParser):
    """The named inputs of a page's forms with their values (hidden fields, the CSRF token)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "input":
            return
        a = dict(attrs)
        name = a.get("name")
        if name and a.get("type", "text") == "hidden":
            self.values.setdefault(name, a.get("value") or "")


def _inputs(html: str) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(html)
    return parser.values


class Browser:
    """One user's cookies and requests, to 127.0.0.1 only."""

    def __init__(self, base: str, tally: Tally) -> None:
        self.base = base
        self.tally = tally
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
        )

    def request(
        self, page: str, path: str, data: dict[str, str] | None = None, expect: int = 200
    ) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            req.add_header("Referer", self.base + path)
        start = time.perf_counter()
        status, text = 0, ""
        try:
            with self.opener.open(req, timeout=30) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        ms = (time.perf_counter() - start) * 1000
        self.tally.add(Sample(page, ms, status == expect))
        return text

    def login(self, username: str) -> None:
        form = self.request("login form", "/accounts/login/")
        data = _inputs(form) | {"username": username, "password": PASSWORD}
        self.request("login", "/accounts/login/", data, expect=302)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to measure, not to follow (a 302 after a save is the success)."""

    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_302


def _staff_work(browser: Browser, tag: str, number: int, think: float, stop: float) -> None:
    browser.login("station_staff")
    n = 0
    while time.monotonic() < stop:
        form = browser.request("intake form", "/cases/stays/new/")
        admitted = (datetime.now(SHANGHAI) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
        data = _inputs(form) | {
            "identified": "1",
            "name": f"{tag}{number}-{n}",
            "gender": "male",
            "admitted_at": admitted,
            "source": "police",
            "health_status": "good",
            "temperature": "36.5",
            "safety_checked": "on",
        }
        time.sleep(think)
        browser.request("intake post", "/cases/stays/new/", data, expect=302)
        with browser.tally.lock:
            browser.tally.intakes_posted += 1
        n += 1
        for page, path in (
            ("board", "/cases/board/"),
            ("stay list", "/cases/stays/"),
            ("ticket list", "/cases/tickets/"),
        ):
            if time.monotonic() >= stop:
                break
            time.sleep(think)
            browser.request(page, path)
        time.sleep(think)


def _supervisor_work(browser: Browser, think: float, stop: float) -> None:
    browser.login("supervisor")
    while time.monotonic() < stop:
        browser.request("dashboard head", "/dashboards/head/")
        time.sleep(think)
        browser.request("dashboard region", "/dashboards/region/")
        time.sleep(think)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        # the demo's two users log in once per virtual user from one address
        AXES_FAILURE_LIMIT="1000",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _count_saved(env: dict[str, str], tag: str) -> int:
    code = (
        "import django; django.setup(); from cases.models import Stay; "
        f"print(Stay.objects.filter(person__name__startswith={tag!r}).count())"
    )
    out = subprocess.run(
        [PY, "-c", code],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "rescue_station.settings"},
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def _wait_until_up(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within a minute")


def run(args: argparse.Namespace) -> dict:
    if args.sqlite:
        database_url = f"sqlite:///{ROOT / 'var' / 'load.sqlite3'}"
        engine = "sqlite"
    else:
        database_url = os.environ.get(
            "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rescue_station_load"
        )
        engine = "postgresql"
        _create_pg_database(database_url)
    env = _env(database_url)
    (ROOT / "var").mkdir(exist_ok=True)
    print(f"== {engine}: migrate, load the demo, collect static files", flush=True)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env | {"DEBUG": "true"}, "load_demo")
    _manage(env, "collectstatic", "--noinput", "-v0")

    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "rescue_station.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_until_up(base, server)
        tally = Tally()
        tag = f"压测{datetime.now(SHANGHAI):%H%M%S}-"
        stop = time.monotonic() + args.seconds
        supervisors = max(1, args.users // 4)
        threads = [
            threading.Thread(
                target=_staff_work, args=(Browser(base, tally), tag, i, args.think, stop)
            )
            for i in range(args.users - supervisors)
        ] + [
            threading.Thread(target=_supervisor_work, args=(Browser(base, tally), args.think, stop))
            for _ in range(supervisors)
        ]
        print(f"== {engine}: {args.users} users for {args.seconds} s", flush=True)
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    saved = _count_saved(env | {"DEBUG": "true"}, tag)
    # Errors count over the whole run; times only after the warm-up (each worker's first
    # requests compile templates and open connections).
    timed = [s for s in tally.samples if s.at >= started + args.warmup]
    pages = []
    for name in sorted({s.page for s in tally.samples}):
        times = [s.ms for s in timed if s.page == name] or [0.0]
        pages.append(
            {
                "name": name,
                "count": len(times),
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(_percentile(times, 0.95), 1),
                "errors": sum(1 for s in tally.samples if s.page == name and not s.ok),
            }
        )
    errors = sum(p["errors"] for p in pages)
    missed = []
    if errors:
        missed.append(f"{errors} errors")
    if saved != tally.intakes_posted:
        missed.append(f"{tally.intakes_posted} intakes posted, {saved} saved")
    if engine == "postgresql":
        missed += [
            f"{p['name']}: p95 {p['p95_ms']} ms ≥ {P95_GOAL_MS:.0f} ms"
            for p in pages
            if p["name"] in GOAL_PAGES and p["p95_ms"] >= P95_GOAL_MS
        ]
    return {
        "database": engine,
        "users": args.users,
        "workers": args.workers,
        "seconds": round(elapsed, 1),
        "think_s": args.think,
        "warmup_s": args.warmup,
        "requests": len(tally.samples),
        "requests_per_second": round(len(tally.samples) / elapsed, 1),
        "errors": errors,
        "intakes_posted": tally.intakes_posted,
        "intakes_saved": saved,
        "pages": pages,
        "missed": missed,
    }


def _create_pg_database(url: str) -> None:
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(url)
    with psycopg.connect(
        dbname="postgres",
        user=cfg.get("USER") or "postgres",
        host=cfg.get("HOST") or None,
        port=cfg.get("PORT") or None,
        password=cfg.get("PASSWORD") or None,
        autocommit=True,
    ) as conn:
        name = cfg["NAME"]
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _print(report: dict) -> None:
    print(
        f"\n{report['database']}: {report['users']} users, {report['workers']} workers, "
        f"{report['requests']} requests in {report['seconds']} s "
        f"({report['requests_per_second']}/s), {report['errors']} errors, "
        f"intakes {report['intakes_posted']} posted / {report['intakes_saved']} saved"
    )
    print(f"{'page':<20}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'errors':>8}")
    for p in report["pages"]:
        print(f"{p['name']:<20}{p['count']:>6}{p['p50_ms']:>10}{p['p95_ms']:>10}{p['errors']:>8}")
    for m in report["missed"]:
        print(f"MISSED: {m}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=70)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds not timed at first")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--sqlite", action="store_true", help="only the SQLite default")
    parser.add_argument("--postgres", action="store_true", help="only PostgreSQL")
    args = parser.parse_args()
    runs = []
    for sqlite in [False, True] if not (args.sqlite or args.postgres) else [args.sqlite]:
        args.sqlite = sqlite
        report = run(args)
        _print(report)
        runs.append(report)
    out = ROOT / "var" / "load" / "report.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpus",
                "runs": runs,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"\nwritten: {out}")
    return 1 if any(r["missed"] for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
