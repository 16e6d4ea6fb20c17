"""Nothing with persons' data is cached; only a declared TLS proxy may mark a request secure."""

from __future__ import annotations

from django.urls import reverse

from tests.rescue_station.test_settings import _run


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_static_files_keep_their_cache(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert not _no_store(response)


CHECK_SECURE = (
    "from django.test import RequestFactory; from django.conf import settings as s; "
    "r = RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https'); "
    "print(r.is_secure(), s.SECURE_PROXY_SSL_HEADER if hasattr(s, 'SECURE_PROXY_SSL_HEADER') else None)"
)
PRODUCTION = {"DEBUG": "False", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "a.example"}


def test_a_forwarded_proto_header_is_ignored_without_a_declared_proxy():
    result = _run(["shell", "--no-imports", "-c", CHECK_SECURE], **PRODUCTION)
    assert result.stdout.split()[0] == "False", result.stderr


def test_a_declared_tls_proxy_marks_forwarded_https_requests_secure():
    result = _run(
        ["shell", "--no-imports", "-c", CHECK_SECURE], BEHIND_TLS_PROXY="true", **PRODUCTION
    )
    assert result.stdout.split()[0] == "True", result.stderr


def test_the_login_page_says_how_long_a_lock_out_lasts(client, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=45)
    settings.AXES_FAILURE_LIMIT = 4
    html = client.get(reverse("login")).content.decode()
    assert "连续输错密码 4 次后" in html
    assert "锁定 45 分钟" in html


def test_the_password_rules_are_shown_in_chinese(client_for, settings):
    html = client_for("station_staff").get(reverse("password_change")).content.decode()
    assert "至少 10 个字符" in html
    assert "不能全是数字" in html
    # Django's own validator help, translated, is shown beside the field too.
    assert "你的密码必须包含至少 10 个字符" in html


def test_a_short_password_is_refused_with_a_chinese_message(client_for):
    response = client_for("station_staff").post(
        reverse("password_change"),
        {"old_password": "test-pass-123", "new_password1": "zq8#k2", "new_password2": "zq8#k2"},
    )
    assert response.status_code == 200
    assert "密码太短：至少需要 10 个字符。" in response.content.decode()
