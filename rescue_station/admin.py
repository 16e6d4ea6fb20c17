from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .audit import EditConflict, save_audited
from .forms import VersionedFormMixin
from .models import AccessLog, Membership, Station, User
from .services import user_set_role


class _AdminVersionCheck(VersionedFormMixin):
    """The admin's change form: refused, with the other change shown, when the record was saved
    by someone else after the form was loaded (the admin saves only after validation).

    The version is the one the record has in the database: on the change page that of the
    instance, on simple-history's revert page (whose instance is an old version) the current one,
    so that a revert replaces what the administrator saw there."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.VERSION_FIELD in self.fields:
            self.fields[self.VERSION_FIELD].initial = self._current_version()

    def _current_version(self) -> int | None:
        rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        return rows.values_list("version", flat=True).first()

    def clean(self) -> dict:
        data = super().clean()
        expected = self.expected_version
        if expected is not None and self._current_version() != expected:
            self.add_error(None, EditConflict.for_record(self.instance, expected))
        return data


class VersionedAdmin(SimpleHistoryAdmin):
    """The admin of a ``Versioned`` model: the change form carries the record's version, and
    every save goes through ``save_audited``, so that neither an administrator's save nor a
    page's overwrites the other unseen."""

    change_form_template = "admin/versioned_change_form.html"
    object_history_form_template = "admin/versioned_history_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (_AdminVersionCheck, form), {})

    def save_model(self, request, obj, form, change) -> None:
        expected = getattr(form, "expected_version", None) if change else None
        save_audited(obj, acting_user=request.user, expected_version=expected)


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
