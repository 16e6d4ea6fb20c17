"""Case inspection as a permission: one backend, so that no view checks it on its own.

A user holding ``CASE_INSPECTION`` (granted per user by an administrator) holds, through this
backend, every view permission of the inspected apps: each page of cases and minors that checks
its view permission opens to them as to a station head. What such a user reads there is logged
(``rescue_station.access_log``). The backend authenticates nobody.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.contrib.auth.models import Permission

from .roles import CASE_INSPECTION, INSPECTED_APPS, RESERVED

_CACHE = "_case_inspection_perm_cache"


def inspection_permissions() -> set[str]:
    """The view permissions of the inspected apps, as ``app_label.codename``."""
    rows = (
        Permission.objects.filter(
            content_type__app_label__in=INSPECTED_APPS, codename__startswith="view_"
        )
        .exclude(codename__in=RESERVED)
        .values_list("content_type__app_label", "codename")
    )
    return {f"{app_label}.{codename}" for app_label, codename in rows}


class CaseInspectionBackend(BaseBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if not hasattr(user_obj, _CACHE):
            # The grant itself is an ordinary permission (user's own or, by mistake, a group's).
            granted = CASE_INSPECTION in ModelBackend().get_all_permissions(user_obj)
            setattr(user_obj, _CACHE, inspection_permissions() if granted else set())
        return getattr(user_obj, _CACHE)
