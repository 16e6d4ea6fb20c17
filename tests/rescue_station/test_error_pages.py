"""403, 404 and 500 pages in the app's layout and in Chinese, with a way back."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse


@pytest.fixture
def production(settings):
    settings.DEBUG = False  # in debug Django shows its technical pages instead


def _in_layout(html: str) -> bool:
    return 'class="topbar"' in html and 'href="/"' in html and "返回首页" in html


def test_a_page_the_role_may_not_open_answers_403_in_the_layout(production, client_for):
    response = client_for("station_staff").get(reverse("budget:line_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert _in_layout(html)
    assert "你无权打开此页面" in html
    assert "Forbidden" not in html
    assert 'class="mainnav"' in html  # the navigation, to go on from here


def test_an_unknown_page_answers_404_in_the_layout(production, client_for):
    response = client_for("station_staff").get("/cases/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert _in_layout(html)
    assert "未找到" in html


def test_a_failure_answers_500_in_the_layout(production, users, monkeypatch):
    from rescue_station import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "group_by_app", broken)
    monkeypatch.setattr(views, "dashboards_for", broken)
    client = Client(raise_request_exception=False)
    client.force_login(users["supervisor"])
    response = client.get(reverse("home"))
    assert response.status_code == 500
    html = response.content.decode()
    assert _in_layout(html)
    assert "系统出错" in html or "出错" in html
    assert "boom" not in html


def test_the_500_page_falls_back_to_plain_chinese_when_the_layout_fails(rf, monkeypatch):
    from django.template import loader

    from rescue_station.views import server_error

    def failing(*args, **kwargs):
        raise RuntimeError("no template engine")

    monkeypatch.setattr(loader, "render_to_string", failing)
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "返回首页" in response.content.decode()


def test_an_expired_form_answers_403_with_what_to_do(production, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["station_staff"])
    response = client.post(reverse("cases:area_create"), {"name": "广场"})
    assert response.status_code == 403
    html = response.content.decode()
    assert _in_layout(html)
    assert "表单已过期" in html
