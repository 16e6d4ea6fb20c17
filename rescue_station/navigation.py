"""The navigation bar: each app declares its entries in its AppConfig's ``nav_items``.

An entry is ``(url name, label, permission)``; a user sees the entries whose permission they hold
(``None``: every logged-in user). Entries whose URL does not resolve are left out.

The bar shows an app's entries in one menu named by the app's ``nav_group`` (its verbose name
unless it says otherwise; ``""``: its entries stand on their own), so that the bar of the role
that sees every app fits one row of a 1366-pixel screen. A menu of one entry is that entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active_prefix: str
    group: str = ""


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str
    current: bool


@dataclass(frozen=True)
class NavMenu:
    """One place on the bar: a menu of ``links`` under ``label``, or one link (``label`` "")."""

    label: str
    links: tuple[NavLink, ...]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def nav_for(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for config in apps.get_app_configs():
        group = str(getattr(config, "nav_group", config.verbose_name))
        for url_name, label, perm in getattr(config, "nav_items", []):
            if perm and not user.has_perm(perm):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append(NavItem(url=url, label=str(label), active_prefix=url, group=group))
    return items


def nav_menus(items: list[NavItem], path: str) -> list[NavMenu]:
    """The bar of ``items`` on the page ``path``: the entries grouped in order of first
    appearance; the current page is the entry whose URL is the longest start of the path."""
    matching = [i for i in items if path == i.url or (i.url != "/" and path.startswith(i.url))]
    current = max(matching, key=lambda i: len(i.url)) if matching else None
    groups: dict[str, list[NavLink]] = {}
    menus: list[tuple[str, list[NavLink]]] = []
    for item in items:
        link = NavLink(url=item.url, label=item.label, current=item is current)
        if not item.group:
            menus.append(("", [link]))
        elif item.group in groups:
            groups[item.group].append(link)
        else:
            groups[item.group] = [link]
            menus.append((item.group, groups[item.group]))
    return [
        NavMenu(label=label if len(links) > 1 else "", links=tuple(links)) for label, links in menus
    ]


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


def may_open(user: Any, path: str) -> bool:
    """Whether ``user`` passes the checks the decorators of the view at ``path`` make
    (``permission_required``, ``user_passes_test``): a page links to another page only when its
    reader may open it (the access log lists the pages others opened, forms among them).

    The checks are the view's own, read from its decorators' closures, so that a link and its
    page cannot disagree; a view that checks a permission chosen by its URL in its body names
    it in ``required_permission(**url kwargs)``."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    func: Any = match.func
    while func is not None:
        # A view whose permission depends on its URL (a kind of record) says which it checks.
        needed = getattr(func, "required_permission", None)
        if needed is not None:
            perm = needed(**match.kwargs)
            if perm and not user.has_perm(perm):
                return False
        names = getattr(getattr(func, "__code__", None), "co_freevars", ())
        if "test_func" in names:
            test = func.__closure__[names.index("test_func")].cell_contents
            try:
                if not test(user):
                    return False
            except PermissionDenied:
                return False
        func = getattr(func, "__wrapped__", None)
    return True
