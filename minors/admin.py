"""The administrator's view of the minors app: the station's time limits (the access log is the
core app's)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MinorsPolicy


@admin.register(MinorsPolicy)
class MinorsPolicyAdmin(SimpleHistoryAdmin):
    list_display = [
        "station",
        "report_deadline_hours",
        "visit_interval_high_days",
        "visit_interval_medium_days",
        "visit_interval_low_days",
    ]
