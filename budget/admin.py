from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rescue_station.admin import VersionedAdmin

from .models import BudgetLine, Expenditure, FunctionClass, FundingSource, Project


@admin.register(FundingSource)
class FundingSourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "full_name", "code", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "full_name", "code"]


@admin.register(FunctionClass)
class FunctionClassAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "active", "note"]
    list_filter = ["active"]
    search_fields = ["code", "name"]


@admin.register(Project)
class ProjectAdmin(VersionedAdmin):
    list_display = ["name", "station", "year", "basis_document", "function_class", "allocated"]
    list_filter = ["station", "year", "added_mid_year", "carried_over"]
    search_fields = ["name", "basis_document"]
    autocomplete_fields = ["function_class"]


@admin.register(BudgetLine)
class BudgetLineAdmin(VersionedAdmin):
    list_display = [
        "pk",
        "station",
        "year",
        "source",
        "nature",
        "function_class",
        "project",
        "initial",
        "adjusted",
    ]
    list_filter = ["station", "year", "nature", "source"]
    search_fields = ["description", "function_class__code", "project__name"]
    autocomplete_fields = ["function_class", "project"]


@admin.register(Expenditure)
class ExpenditureAdmin(VersionedAdmin):
    list_display = ["date", "voucher_no", "line", "amount", "description"]
    list_filter = ["line__station", "line__nature"]
    search_fields = ["voucher_no", "description"]
    date_hierarchy = "date"
    raw_id_fields = ["line"]
