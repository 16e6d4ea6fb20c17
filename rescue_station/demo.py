"""The demo data set: the Zhuzhou station, one user per role, and each app's records.

Each app that has demo records provides ``<app>/demo.py`` with
``load(*, station, users, today) -> None`` (idempotent: it creates what is missing and nothing
twice) and ``reset(*, station) -> None`` (deletes that app's records of the station). Apps are
loaded in ``INSTALLED_APPS`` order and reset in the reverse order.
"""

from __future__ import annotations

from datetime import date
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.db import transaction

from .models import AccessLog, Station, User
from .roles import Role
from .services import membership_grant, roles_sync, user_set_role

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


def app_demo_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if config.name == "rescue_station":
            continue
        try:
            modules.append(import_module(f"{config.name}.demo"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
    return modules


def demo_users(station: Station) -> dict[str, User]:
    """One user per role, named after the role, with the demo password, member of the station."""
    users = {}
    for role in Role:
        user = User.objects.filter(username=role.value).first() or User(username=role.value)
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


@transaction.atomic
def load(*, today: date, reset: bool = False) -> Station:
    roles_sync()
    station, _ = Station.objects.get_or_create(code=STATION["code"], defaults=STATION)
    modules = app_demo_modules()
    if reset:
        for module in reversed(modules):
            module.reset(station=station)
        # The log names records of every app: it goes with them (it refers to none by key).
        AccessLog.objects.filter(station=station).delete()
    users = demo_users(station)
    for module in modules:
        module.load(station=station, users=users, today=today)
    return station
