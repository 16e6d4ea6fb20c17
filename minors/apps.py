from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinorsConfig(AppConfig):
    name = "minors"
    verbose_name = _("Minor protection")
    # (url name, label, permission): see rescue_station.navigation.
    nav_items: list = []
