from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The role pages: the station head's dashboard, the staff's working page, the finance
    officer's page and the stations side by side. They read the other apps' registry figures,
    attention lists and the monitoring forecast; no app imports this one."""

    name = "dashboards"
    verbose_name = _("Dashboards")
    # (url name, label, permission): see rescue_station.navigation. The permission is the view's.
    nav_items = [
        ("dashboards:head", _("Station head's dashboard"), "cases.approve_extension"),
        ("dashboards:staff", _("Today's work"), "cases.add_stay"),
        ("dashboards:finance", _("Finance overview"), "budget.change_budgetline"),
        ("dashboards:region", _("Stations side by side"), "rescue_station.view_dashboard"),
        ("dashboards:statistics", _("Statistics"), "rescue_station.view_statistics"),
    ]
