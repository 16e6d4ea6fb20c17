"""Shared fixtures: stations, one user per role, logged-in clients, stays (tests.factories)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from cases.models import Stay
from rescue_station.models import Station, User
from rescue_station.roles import Role
from tests.factories import StationFactory, StayFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files (photos, finalised PDFs) go to the test's own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def site_language(settings):
    """Each test starts in the site's language: a request with another language cookie leaves
    that language active in the thread, and the next test on the worker would read it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """One transaction around a module's tests, rolled back after the last one.

    A module-scoped fixture that asks for it writes its records once (once per xdist worker
    that runs some of the module's tests); each test sees them, and its own changes roll
    back to them (pytest-django's savepoint). Stored files go to the module's own folder."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture
def station(db) -> Station:
    return StationFactory(
        name="株洲市救助管理站",
        code="zhuzhou",
        region_code="430200",
        region_name="株洲市",
        parent_bureau="株洲市民政局",
    )


@pytest.fixture
def other_station(db) -> Station:
    return StationFactory(
        name="湘潭市救助管理站",
        code="xiangtan",
        region_code="430300",
        region_name="湘潭市",
        parent_bureau="湘潭市民政局",
    )


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    """``make_user(role, *stations, username=role)``: a user of the role, member of the stations."""

    def make(role: str, *stations: Station, username: str | None = None) -> User:
        return UserFactory(role=role, stations=stations, username=username or role)

    return make


@pytest.fixture
def make_stay(db) -> Callable[..., Stay]:
    """``make_stay(station, admitted_on, left_on=None, **fields)``: a ``StayFactory`` stay."""

    def make(station: Station, admitted_on: date, left_on: date | None = None, **fields) -> Stay:
        return StayFactory(station=station, admitted_on=admitted_on, left_on=left_on, **fields)

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
