from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLog, Membership, Station, User
from .services import user_set_role


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["station"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role"), {"fields": ("role", "full_name")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role"), {"fields": ("role", "full_name")}),
    )
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.role:
            user_set_role(user=obj, role=obj.role, acting_user=request.user)


@admin.register(Station)
class StationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "region_code", "region_name", "parent_bureau"]
    search_fields = ["name", "code", "region_code", "region_name"]
    prepopulated_fields = {"code": ("name",)}


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "station", "created_at"]
    list_filter = ["station"]
    search_fields = ["user__username", "station__name"]
    autocomplete_fields = ["user", "station"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = [
        "accessed_at",
        "user",
        "station",
        "kind",
        "record_type",
        "record_label",
        "list_name",
        "row_count",
    ]
    list_filter = ["station", "kind", "record_type"]
    search_fields = ["record_label", "list_name", "query", "user__username"]
    list_select_related = ["user", "station"]

    # The log is evidence: nobody edits or deletes it, not even an administrator.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.site_header = _("Rescue station management: administration")
admin.site.site_title = _("Rescue station management")
admin.site.index_title = _("Users, stations and reference data")
