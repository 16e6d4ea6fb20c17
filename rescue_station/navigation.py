"""The navigation bar: each app declares its entries in its AppConfig's ``nav_items``.

An entry is ``(url name, label, permission)``; a user sees the entries whose permission they hold
(``None``: every logged-in user). Entries whose URL does not exist yet are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active_prefix: str


def nav_for(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for config in apps.get_app_configs():
        for url_name, label, perm in getattr(config, "nav_items", []):
            if perm and not user.has_perm(perm):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append(NavItem(url=url, label=str(label), active_prefix=url))
    return items
