from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Intakes and stays")
    nav_group = _("Rescue work")
    # (url name, label, permission): see rescue_station.navigation. The permission is the one the
    # page's view requires, so the role × page matrix test checks them together.
    nav_items = [
        ("cases:board", _("In the station"), "cases.view_stay"),
        ("cases:stay_list", _("Stays"), "cases.view_stay"),
        ("cases:stay_create", _("New intake"), "cases.add_stay"),
        ("cases:patrol_list", _("Street patrols"), "cases.view_streetpatrol"),
        ("cases:ticket_list", _("Tickets"), "cases.view_ticket"),
        ("cases:safety_list", _("Safety"), "cases.view_safetycheck"),
        ("cases:long_stay_list", _("Long stays"), "cases.view_longstay"),
    ]
    # Pages outside the navigation, by name in the access log.
    page_labels = {
        "cases:stay_export": _("Stay list (Excel export)"),
        "cases:stay_detail": _("A stay's record"),
    }
