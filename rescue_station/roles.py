"""The six roles of the system and the permissions each role's group carries.

A role is a Django group. Its permissions are computed from the rules below every time the
groups are synchronised (after each migrate, and by load_demo), so a model added to an app later
gets the right permissions without a new data migration.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STATION_STAFF = "station_staff", _("Station staff")
    MINORS_WORKER = "minors_worker", _("Minors social worker")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    SUPERVISOR = "supervisor", _("Station head")
    BUREAU_SUPERVISOR = "bureau_supervisor", _("Bureau supervisor")
    ADMIN = "admin", _("Administrator")


# Actions Django creates for every model.
WRITE = ("add", "change", "view")
READ = ("view",)

# (app label, actions). Custom permissions (e.g. "approve_extension") are granted by name below.
# Each role holds what its work needs and no more:
# - no role holds the core app's view permissions (users, stations, memberships): no page of the
#   app checks them, and the Django admin, which does, is the administrator's;
# - the minors' social worker holds no cases permission: she reads the stay of a minor through
#   her minors' permission (cases.selectors.stays_readable), never an adult's stay, and none of
#   the station's patrols, tickets, safety checks or long stays;
# - the finance officer and the bureau read no person's record: their work is figures. A
#   bureau supervisor inspects cases only when an administrator grants CASE_INSPECTION.
ROLE_RULES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    Role.STATION_STAFF: [("cases", WRITE)],
    Role.MINORS_WORKER: [("minors", WRITE)],
    Role.FINANCE_OFFICER: [("budget", WRITE), ("performance", WRITE)],
    Role.SUPERVISOR: [
        ("cases", READ),
        ("minors", READ),
        ("budget", READ),
        ("performance", READ),
    ],
    Role.BUREAU_SUPERVISOR: [("budget", READ), ("performance", READ)],
    Role.ADMIN: [],  # all permissions, see services._role_permissions
}

# Custom permissions (declared in a model's Meta.permissions) that a role holds besides the above.
ROLE_EXTRA: dict[str, list[str]] = {
    # The statistics of the assistance work: the staff who file them, the head, the bureau.
    Role.STATION_STAFF: ["rescue_station.view_statistics"],
    Role.SUPERVISOR: [
        "rescue_station.view_statistics",
        "cases.approve_extension",
        "performance.finalise_evaluation",
        "performance.reopen_evaluation",
        "rescue_station.view_dashboard",
        "rescue_station.view_accesslog",
    ],
    Role.BUREAU_SUPERVISOR: ["rescue_station.view_dashboard", "rescue_station.view_statistics"],
    # The bureau's approval of the targets is recorded by the finance office, which received it.
    Role.FINANCE_OFFICER: ["rescue_station.view_dashboard", "performance.approve_framework"],
}

# Custom permissions that must never come with a role's blanket app actions: only ROLE_EXTRA
# grants them (a finance officer "changes" performance records but does not finalise them).
RESERVED = {
    "approve_extension",
    "approve_framework",
    "finalise_evaluation",
    "reopen_evaluation",
    "view_dashboard",
    "view_statistics",
    "view_accesslog",
    "inspect_cases",
}

# Case inspection: an administrator grants this permission to a user (a bureau supervisor) in
# the Django admin. Its holder reads every page of the inspected apps (the authentication
# backend rescue_station.backends.CaseInspectionBackend adds their view permissions), and every
# such page read is written to the access log (rescue_station.access_log).
CASE_INSPECTION = "rescue_station.inspect_cases"
INSPECTED_APPS = ("cases", "minors")
