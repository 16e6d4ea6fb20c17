"""Writes of the core app: roles, users, memberships, the access log."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .audit import save_audited
from .models import AccessKind, AccessLog, Membership, Station, User
from .roles import RESERVED, ROLE_EXTRA, ROLE_RULES, Role


def _role_permissions(role: str) -> Iterable[Permission]:
    if role == Role.ADMIN:
        return Permission.objects.all()
    query = Q(pk__in=[])
    for app_label, actions in ROLE_RULES[role]:
        for action in actions:
            # Not the history models' own permissions: history rows are written by the
            # records' services and read on the records' pages, never on their own.
            query |= Q(content_type__app_label=app_label, codename__startswith=f"{action}_") & ~Q(
                codename__startswith=f"{action}_historical"
            )
    for name in ROLE_EXTRA.get(role, []):
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    perms = Permission.objects.filter(query).select_related("content_type")
    extra = {tuple(name.split(".")) for name in ROLE_EXTRA.get(role, [])}
    return [
        p
        for p in perms
        if p.codename not in RESERVED or (p.content_type.app_label, p.codename) in extra
    ]


@transaction.atomic
def roles_sync() -> None:
    """Create the six role groups and set each one's permissions from the rules in roles.py."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(_role_permissions(role))


@transaction.atomic
def user_set_role(*, user: User, role: str, acting_user: User | None = None) -> User:
    """Give the user exactly one role: the role's group and nothing else; admins are staff."""
    role = Role(role)
    user.role = role.value
    user.is_staff = role == Role.ADMIN
    save_audited(user, acting_user=acting_user)
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.set([group])
    return user


@transaction.atomic
def membership_grant(
    *, user: User, station: Station, acting_user: User | None = None
) -> Membership:
    existing = Membership.objects.filter(user=user, station=station).first()
    if existing:
        return existing
    return save_audited(Membership(user=user, station=station), acting_user=acting_user)


@transaction.atomic
def membership_grant_region(
    *, user: User, region_prefix: str, acting_user: User | None = None
) -> list[Station]:
    """Grant the user every station whose region code starts with the prefix (43 = all of Hunan)."""
    if not region_prefix.isdigit() or not 1 <= len(region_prefix) <= 6:
        raise ValueError("a region prefix is 1 to 6 digits")
    stations = list(Station.objects.filter(region_code__startswith=region_prefix))
    for station in stations:
        membership_grant(user=user, station=station, acting_user=acting_user)
    return stations


def _cut(value: str, field: str) -> str:
    return value[: AccessLog._meta.get_field(field).max_length]


def access_log_write(
    *,
    user: User,
    station_id: int,
    kind: str = AccessKind.RECORD,
    record_type: str = "",
    record_id: int | None = None,
    record_label: str = "",
    path: str = "",
    list_name: str = "",
    query: str = "",
    row_count: int | None = None,
) -> AccessLog:
    """Log one read of persons' records (the row is itself the audit: it has no history).

    Text is cut to its column rather than refused: a long search must not hide the read."""
    entry = AccessLog(
        station_id=station_id,
        user=user,
        kind=AccessKind(kind),
        record_type=_cut(record_type, "record_type"),
        record_id=record_id,
        record_label=_cut(record_label, "record_label"),
        path=_cut(path, "path"),
        list_name=_cut(list_name, "list_name"),
        query=_cut(query, "query"),
        row_count=row_count,
    )
    # The station and the user come from the request's own records: checking that they exist
    # would cost two queries on every logged page.
    entry.full_clean(exclude=["station", "user"])
    entry.save()
    return entry
