"""Reference data of the cases app in the Django admin (records themselves go through the pages)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rescue_station.admin import VersionedAdmin

from .models import CareInstitution, GatheringArea, TracingPolicy


@admin.register(TracingPolicy)
class TracingPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["station", "notice_hours", "dna_working_days", "renewal_days"]


@admin.register(GatheringArea)
class GatheringAreaAdmin(VersionedAdmin):
    list_display = ["name", "station", "active"]
    list_filter = ["station", "active"]


@admin.register(CareInstitution)
class CareInstitutionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "station", "contract_no"]
    list_filter = ["station"]
