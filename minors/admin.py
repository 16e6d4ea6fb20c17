"""The administrator's view of the minors app: the station's time limits, and the records read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLog, MinorsPolicy


@admin.register(MinorsPolicy)
class MinorsPolicyAdmin(SimpleHistoryAdmin):
    list_display = [
        "station",
        "report_deadline_hours",
        "visit_interval_high_days",
        "visit_interval_medium_days",
        "visit_interval_low_days",
    ]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["accessed_at", "user", "station", "record_type", "record_id", "record_label"]
    list_filter = ["station", "record_type"]
    search_fields = ["record_label", "user__username"]

    # The log is evidence: nobody edits or deletes it, not even an administrator.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
