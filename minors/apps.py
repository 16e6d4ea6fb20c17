from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _open_case_for_minor_stay(sender, *, stay, acting_user=None, **kwargs) -> None:
    """The one cross-app event: a minor's stay opens a minor case (in the sender's transaction)."""
    if stay.is_minor:
        from .services import minor_case_open_for_stay

        minor_case_open_for_stay(stay=stay, acting_user=acting_user)


def _open_cases_for_minor_stays(sender, *, stays, acting_user=None, **kwargs) -> None:
    """The same event for many stays at once (an import)."""
    from .services import minor_cases_open_for_stays

    minor_cases_open_for_stays(stays=stays, acting_user=acting_user)


class MinorsConfig(AppConfig):
    name = "minors"
    verbose_name = _("Minor protection")
    # (url name, label, permission): see rescue_station.navigation.
    nav_items: list = [
        ("minors:cases", _("Minors in the station"), "minors.view_minorcase"),
        ("minors:reports", _("Mandatory reports"), "minors.view_mandatoryreport"),
        ("minors:children", _("Children registry"), "minors.view_child"),
        ("minors:visits_due", _("Visits due"), "minors.view_visit"),
        ("minors:activities", _("Activities"), "minors.view_activity"),
        ("minors:figures", _("Minors figures"), "minors.view_minorcase"),
    ]
    # Pages outside the navigation, by name in the access log.
    page_labels = {"minors:activity_list": _("Activities (list)")}

    def ready(self) -> None:
        from cases.signals import stay_registered, stays_registered

        stay_registered.connect(
            _open_case_for_minor_stay, dispatch_uid="minors.open_case_for_minor_stay"
        )
        stays_registered.connect(
            _open_cases_for_minor_stays, dispatch_uid="minors.open_cases_for_minor_stays"
        )
