import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_pages_are_in_simplified_chinese_by_default():
    response = Client().get(reverse("login"))
    assert '<html lang="zh-CN">' in response.content.decode()
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_pages_are_in_english_after_switching():
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in text
    assert "Log in" in text
    assert "登录" not in text


def test_the_navigation_follows_the_language(client_for):
    client = client_for("supervisor")
    assert "首页" in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Home" in client.get("/").content.decode()
