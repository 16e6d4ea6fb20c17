"""Shared fixtures: stations, one user per role, logged-in clients."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.test import Client

from rescue_station.models import Station, User
from rescue_station.roles import Role
from rescue_station.services import membership_grant, roles_sync, user_set_role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "test-pass-123"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files (photos, finalised PDFs) go to the test's own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def station(db) -> Station:
    return Station.objects.create(
        name="株洲市救助管理站",
        code="zhuzhou",
        region_code="430200",
        region_name="株洲市",
        parent_bureau="株洲市民政局",
    )


@pytest.fixture
def other_station(db) -> Station:
    return Station.objects.create(
        name="湘潭市救助管理站",
        code="xiangtan",
        region_code="430300",
        region_name="湘潭市",
        parent_bureau="湘潭市民政局",
    )


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    roles_sync()

    def make(role: str, *stations: Station, username: str | None = None) -> User:
        user = User.objects.create_user(username=username or role, password=PASSWORD)
        user_set_role(user=user, role=role)
        for s in stations:
            membership_grant(user=user, station=s)
        return user

    return make


@pytest.fixture
def users(make_user, station) -> dict[str, User]:
    """One user per role, each a member of ``station``."""
    return {role.value: make_user(role.value, station) for role in Role}


@pytest.fixture
def client_for(users) -> Callable[[str], Client]:
    """A test client logged in as the user of the given role."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make
