from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs) -> None:
    from .services import roles_sync

    roles_sync()


class RescueStationConfig(AppConfig):
    name = "rescue_station"
    verbose_name = _("Rescue stations")
    nav_group = ""  # home, dashboard, access log: each on its own
    nav_items = [
        # (url name, label, permission or None) — shown to those who hold the permission.
        ("home", _("Home"), None),
        ("dashboard", _("Dashboard"), "rescue_station.view_dashboard"),
        ("access_log", _("Access log"), "rescue_station.view_accesslog"),
    ]

    def ready(self) -> None:
        # Permissions are created by auth's own post_migrate handler, which was connected
        # before this one (auth comes first in INSTALLED_APPS), so the groups can use them.
        post_migrate.connect(_sync_roles, dispatch_uid="rescue_station.sync_roles")
        autodiscover_modules("metrics")
        from . import checks, middleware  # noqa: F401  (registers the checks; connects the session clock)
