"""The demo data set: the Zhuzhou station, one user per role, and each app's records.

Each domain app that has demo records has its module here, ``demo/<app>.py``, with
``load(*, station, users, today) -> None`` (idempotent: it creates what is missing and nothing
twice) and ``reset(*, station) -> None`` (deletes that app's records of the station, and their
stored files); it may also provide ``finish(*, station, users, today) -> None``, run once every
app has loaded, for acts that read the figures of all of them (finalising a year's report). The
modules are loaded in the order of ``DEMO_APPS`` and reset in the reverse order.

The demo changes only what it made, and marks what it made (``Station.is_demo``, ``User.is_demo``):
``load_demo`` is documented, so it will be run on a real station's database by mistake, where a
real 株洲市救助管理站 may use the code ``zhuzhou`` and a real administrator be called ``admin``.
A station with the demo's code that is not marked stops the load before any write; a user with a
role's name that is not marked is left as it is, and ``users`` lacks that role (the apps record
its work under another demo user, see ``demo_user``). ``adopt=True`` marks them as the demo's: a
development database loaded before the markers existed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.manager import HistoryManager

from rescue_station.audit import save_audited
from rescue_station.models import AccessLog, Station, User
from rescue_station.roles import Role
from rescue_station.services import membership_grant, roles_sync, user_set_role

# The apps with a demo module here, in load order (the minors' demo takes its stays from the
# cases' demo). Their demo records get their creation row in the history
# (rescue_station's own demo records, the station and users, are saved one by one with their
# history already).
DEMO_APPS = ("cases", "minors", "budget", "performance")
DEMO_CREATION_REASON = "demo data"

STATION = {
    "code": "zhuzhou",
    "name": "株洲市救助管理站",
    "region_code": "430200",
    "region_name": "株洲市",
    "parent_bureau": "株洲市民政局",
}
FULL_NAMES = {
    Role.STATION_STAFF: "李业务",
    Role.MINORS_WORKER: "王社工",
    Role.FINANCE_OFFICER: "陈财务",
    Role.SUPERVISOR: "张站长",
    Role.BUREAU_SUPERVISOR: "刘督导",
    Role.ADMIN: "系统管理员",
}
# Who does a role's demo work when that role's username is a real user's: the station head
# first (a station head may do everything in the station), the read-only bureau last.
STAND_INS = [
    Role.SUPERVISOR,
    Role.STATION_STAFF,
    Role.MINORS_WORKER,
    Role.FINANCE_OFFICER,
    Role.ADMIN,
    Role.BUREAU_SUPERVISOR,
]
ADOPT_HINT = (
    "If this is a development database loaded before load_demo marked its records, run "
    "`manage.py load_demo --adopt` to take them over as the demo's, or start from a new "
    "database (README, 'What the demo holds')."
)


class DemoRefused(Exception):
    """The demo would touch a station it did not create: nothing was changed."""


@dataclass(frozen=True)
class DemoLoad:
    station: Station
    users: dict[str, User]
    # Usernames of the roles that belong to users the demo did not create: left untouched.
    left_alone: list[str]


def app_demo_modules() -> list[ModuleType]:
    return [import_module(f"demo.{label}") for label in DEMO_APPS]


def demo_user(users: Mapping[str, User], role: str) -> User:
    """The demo user of ``role``, or the first demo user of ``STAND_INS`` when ``users`` lacks it
    (its username is a real user's). No figure depends on who recorded a demo row."""
    for name in (role, *STAND_INS):
        if name in users:
            return users[name]
    raise DemoRefused("There is no demo user to record the demo's work under.")


def demo_users(station: Station) -> dict[str, User]:
    """One demo user per role, named after the role, with the demo password, member of the station.

    A user with a role's name that the demo did not create (``is_demo`` off) is left untouched and
    missing from the result.
    """
    users = {}
    for role in Role:
        user = User.objects.filter(username=role.value).first()
        if user is not None and not user.is_demo:
            continue
        user = user or User(username=role.value, is_demo=True)
        # Write only what differs, so that loading twice adds no history rows.
        if user.pk is None or not user.check_password(settings.DEMO_PASSWORD):
            user.full_name = FULL_NAMES[role]
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        if user.role != role.value or not user.groups.filter(name=role.value).exists():
            user_set_role(user=user, role=role)
        membership_grant(user=user, station=station)
        users[role.value] = user
    return users


def delete_files_on_commit(queryset: models.QuerySet, field: str) -> None:
    """Delete the files stored in ``field`` of the rows, once the transaction commits (a reset
    that fails keeps its files). Storage never overwrites a name, so a file stored again in the
    same transaction has another name and stays."""
    storage = queryset.model._meta.get_field(field).storage
    for name in queryset.exclude(**{field: ""}).values_list(field, flat=True):
        transaction.on_commit(lambda name=name: storage.delete(name))


def _real_users() -> list[str]:
    names = User.objects.filter(username__in=Role.values, is_demo=False)
    return sorted(names.values_list("username", flat=True))


def _adopt() -> None:
    reason = _("adopted as demo data by load_demo")
    station = Station.objects.filter(code=STATION["code"], is_demo=False).first()
    if station is not None:
        station.is_demo = True
        save_audited(station, acting_user=None, reason=reason)
    for user in User.objects.filter(username__in=Role.values, is_demo=False):
        user.is_demo = True
        save_audited(user, acting_user=None, reason=reason)


def _demo_station() -> Station:
    """The demo station, created when missing; refused when the code or name is a real station's."""
    station = Station.objects.filter(code=STATION["code"]).first()
    if station is not None and not station.is_demo:
        raise DemoRefused(
            f"A station with the demo's code {STATION['code']!r} exists ({station.name}) and was "
            "not created by load_demo: it may be a real station, so nothing was changed. "
            + ADOPT_HINT
        )
    if station is None:
        named = Station.objects.filter(name=STATION["name"]).first()
        if named is not None:
            raise DemoRefused(
                f"A station named {STATION['name']} exists with the code {named.code!r}: it is "
                "not the demo's, so nothing was changed."
            )
        station = Station.objects.create(**STATION, is_demo=True)
    return station


@transaction.atomic
def load(*, today: date, reset: bool = False, adopt: bool = False) -> DemoLoad:
    # In the site's language whatever language the caller's thread has: the finalised 2025
    # report freezes its findings' messages, and they must read as the station would print them.
    with translation.override(settings.LANGUAGE_CODE):
        return _load(today=today, reset=reset, adopt=adopt)


def _load(*, today: date, reset: bool, adopt: bool) -> DemoLoad:
    if adopt:
        _adopt()
    left_alone = _real_users()
    station = _demo_station()
    if len(left_alone) == len(Role):
        raise DemoRefused(
            "Every demo username belongs to a user load_demo did not create "
            f"({', '.join(left_alone)}): there is nobody to load the demo as; nothing was "
            "changed. " + ADOPT_HINT
        )
    roles_sync()
    modules = app_demo_modules()
    if reset:
        for module in reversed(modules):
            module.reset(station=station)
        # The log names records of every app: it goes with them (it refers to none by key).
        AccessLog.objects.filter(station=station).delete()
    users = demo_users(station)
    for module in modules:
        module.load(station=station, users=users, today=today)
    for module in modules:
        if hasattr(module, "finish"):
            module.finish(station=station, users=users, today=today)
    record_creation_history(station)
    return DemoLoad(station=station, users=users, left_alone=left_alone)


def _path_to_station(model: type[models.Model], depth: int = 3) -> str | None:
    """The lookup from ``model`` to its Station through foreign keys (``stay__station``)."""
    links = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for field in links:
        if field.related_model is Station:
            return field.name
    if depth > 1:
        for field in links:
            if field.related_model is not model:
                below = _path_to_station(field.related_model, depth - 1)
                if below:
                    return f"{field.name}__{below}"
    return None


def record_creation_history(station: Station) -> int:
    """Give the demo's records their creation row, as records made through the pages have.

    The demo writes its thousands of rows with ``bulk_create``, which keeps no history; a record
    without its "created" row reads as if it had appeared from nowhere. Only records of the demo
    station that lack any history row get one, so a second load adds none.
    """
    made = 0
    for model in apps.get_models():
        history = getattr(model, "history", None)
        if not isinstance(history, HistoryManager) or model._meta.app_label not in DEMO_APPS:
            continue
        path = _path_to_station(model)
        if path is None:
            continue
        pk = model._meta.pk.attname
        missing = (
            model._base_manager.filter(**{path: station})
            .exclude(**{f"{pk}__in": history.model.objects.values(pk)})
            .order_by(pk)
        )
        while objs := list(missing[:2000]):  # each pass finds the ones still without a row
            history.bulk_history_create(
                objs, batch_size=500, default_change_reason=DEMO_CREATION_REASON
            )
            made += len(objs)
    return made
