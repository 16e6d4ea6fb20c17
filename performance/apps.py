from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = _("Performance evaluation")
    # (url name, label, permission): see rescue_station.navigation.
    nav_items = [
        ("performance:index", _("Performance self-evaluation"), "performance.view_framework"),
        ("performance:monitoring_index", _("Mid-year monitoring"), "performance.view_framework"),
    ]
