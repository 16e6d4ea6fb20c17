import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env)
    # Run outside the checkout's .env so that only what the test sets counts.
    clean["DJANGO_SETTINGS_MODULE"] = "rescue_station.settings"
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        timeout=120,
    )


def test_it_passes_the_deploy_check_with_debug_off_and_a_key():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="False",
        SECRET_KEY="k" * 20 + "-a-long-and-random-production-secret-key-0987654321",
        ALLOWED_HOSTS="rescue.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = _run(["check"], DEBUG="False", ALLOWED_HOSTS="rescue.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_lets_each_security_setting_be_turned_off():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS)"
    )
    result = _run(
        ["shell", "--no-imports", "-c", code],
        DEBUG="False",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="a.example",
        SECURE_SSL_REDIRECT="False",
        SESSION_COOKIE_SECURE="False",
        CSRF_COOKIE_SECURE="False",
        SECURE_HSTS_SECONDS="0",
    )
    assert result.stdout.split() == ["False", "False", "False", "0"], result.stderr


def test_it_allows_local_hosts_only_in_debug():
    result = _run(
        [
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings as s; print(s.ALLOWED_HOSTS)",
        ],
        DEBUG="False",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="a.example,b.example",
    )
    assert result.stdout.strip() == "['a.example', 'b.example']"


@pytest.mark.django_db
def test_postgresql_runs_without_the_jit_compiler():
    """The dashboards' monthly aggregates spent most of their time in JIT compiling."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_the_url_can_turn_the_jit_compiler_back_on():
    code = "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS'])"
    result = _run(
        ["shell", "--no-imports", "-c", code],
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x?options=-c%20jit%3Don",
        DEBUG="true",
    )
    assert "jit=on" in result.stdout and "jit=off" not in result.stdout
