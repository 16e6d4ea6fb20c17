"""The navigation bar: each app declares its entries in its AppConfig's ``nav_items``.

An entry is ``(url name, label, permission)``; a user sees the entries whose permission they hold
(``None``: every logged-in user). Entries whose URL does not exist yet are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _


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


def page_label(view_name: str) -> str:
    """What a page is called for a person reading a log of pages ("cases:stay_list" → 救助记录):
    its navigation entry's label, else one its app declares in ``page_labels``, else the app's
    name. A URL name is never shown."""
    if not view_name:
        return ""
    app_label = view_name.split(":", 1)[0]
    for config in apps.get_app_configs():
        for url_name, label, _perm in getattr(config, "nav_items", []):
            if url_name == view_name:
                return str(label)
        if view_name in getattr(config, "page_labels", {}):
            return str(config.page_labels[view_name])
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return _("a page")
    return _("a page of %(app)s") % {"app": config.verbose_name}
