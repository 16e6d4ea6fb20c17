#!/usr/bin/env bash
# `make test`: lint, then the whole suite on SQLite and on PostgreSQL.
# PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/rescue_station); when no
# server answers there, a throwaway cluster is started for the run and stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

PY=.venv/bin/python
# Two workers (pytest-xdist), each with its own test database. `--dist load` hands each worker
# the tests in the collected order, so that pytest-django's order holds on each: the tests that
# flush the database (transactional, live server) come after those that read the migrations'
# reference data. A module-scoped fixture (tests/conftest.py module_db) loads once per worker.
# TEST_WORKERS=1 runs the suite in one process.
TEST_WORKERS=${TEST_WORKERS:-2}
PARALLEL=(-n "$TEST_WORKERS" --dist load)
if [ "$TEST_WORKERS" -le 1 ]; then PARALLEL=(-p no:xdist); fi
TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rescue_station}

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== tests on SQLite"
DATABASE_URL="sqlite:///$PWD/var/test.sqlite3" "$PY" -m pytest "${PARALLEL[@]}" "$@"

pg_answers() {
  "$PY" - "$1" <<'PYEOF'
import sys
import environ, psycopg
cfg = environ.Env.db_url_config(sys.argv[1])
try:
    psycopg.connect(dbname="postgres", user=cfg.get("USER") or "postgres", host=cfg.get("HOST") or None,
                    port=cfg.get("PORT") or None, password=cfg.get("PASSWORD") or None,
                    connect_timeout=3).close()
except psycopg.OperationalError:
    sys.exit(1)
PYEOF
}

cluster=""
stop_cluster() {
  if [ -n "$cluster" ]; then
    echo "== stopping the throwaway PostgreSQL cluster"
    run_as_pg "$pgbin/pg_ctl" -D "$cluster" -m fast -w stop >/dev/null || true
    rm -rf "$cluster"
  fi
}
run_as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! pg_answers "$TEST_DATABASE_URL"; then
  echo "== no PostgreSQL answers at $TEST_DATABASE_URL: starting a throwaway cluster"
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else sudo apt-get update -qq; sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; fi
  fi
  pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  # Under var/ when the postgres user can reach it; a checkout in a private folder falls back to /tmp.
  cluster="$PWD/var/pgtest"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$PWD/var"; then
    cluster=$(mktemp -d /tmp/rescue-station-pg.XXXXXX)
  fi
  rm -rf "$cluster"; mkdir -p "$cluster"
  [ "$(id -u)" -eq 0 ] && chown postgres "$cluster"
  trap stop_cluster EXIT
  run_as_pg "$pgbin/initdb" -D "$cluster" -U postgres --auth-local=trust >/dev/null
  run_as_pg "$pgbin/pg_ctl" -D "$cluster" -o "-c listen_addresses='' -k $cluster" -l "$cluster/log" -w start >/dev/null
  TEST_DATABASE_URL="postgres://postgres@/rescue_station?host=$cluster"
fi

echo "== tests on PostgreSQL"
DATABASE_URL="$TEST_DATABASE_URL" "$PY" -m pytest "${PARALLEL[@]}" "$@"
