"""The minors' access log moves to the core app (rescue_station.AccessLog), which the cases app
writes too. Every row is copied, with its time; the grants of the old view permission are moved
to the new one (the role groups are set again by roles_sync after migrate, a user's own grant
is kept here). Reversed, the minors' records' rows go back to the old table.
"""

from django.conf import settings
from django.db import migrations

OLD_TYPES = ("minorcase", "child")
BATCH = 2000


def _permission(apps, app_label, *, create):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    if create:
        # post_migrate creates it only after the whole migrate: the grants need it now.
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model="accesslog")
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename="view_accesslog",
            defaults={"name": "Can view access log entry"},
        )
        return permission
    return Permission.objects.filter(
        content_type__app_label=app_label,
        content_type__model="accesslog",
        codename="view_accesslog",
    ).first()


def _move_grants(apps, source, target):
    old = _permission(apps, source, create=False)
    if old is None:
        return
    new = _permission(apps, target, create=True)
    User = apps.get_model(settings.AUTH_USER_MODEL)
    Group = apps.get_model("auth", "Group")
    UserGrant = User.user_permissions.through
    GroupGrant = Group.permissions.through
    UserGrant.objects.bulk_create(
        [UserGrant(user_id=g.user_id, permission=new) for g in UserGrant.objects.filter(permission=old)],
        ignore_conflicts=True,
    )
    GroupGrant.objects.bulk_create(
        [GroupGrant(group_id=g.group_id, permission=new) for g in GroupGrant.objects.filter(permission=old)],
        ignore_conflicts=True,
    )
    # The old model is gone after the next migration: its permission would only mislead.
    old.delete()


def copy_to_core(apps, schema_editor):
    Old = apps.get_model("minors", "AccessLog")
    New = apps.get_model("rescue_station", "AccessLog")
    batch = []
    for row in Old.objects.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(
            New(
                station_id=row.station_id,
                user_id=row.user_id,
                accessed_at=row.accessed_at,
                kind="record",
                record_type=f"minors.{row.record_type}",
                record_id=row.record_id,
                record_label=row.record_label,
                path=row.path,
            )
        )
        if len(batch) == BATCH:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)
    Old.objects.all().delete()
    _move_grants(apps, "minors", "rescue_station")


def copy_back(apps, schema_editor):
    Old = apps.get_model("minors", "AccessLog")
    New = apps.get_model("rescue_station", "AccessLog")
    rows = New.objects.filter(
        kind="record", record_type__in=[f"minors.{t}" for t in OLD_TYPES]
    ).order_by("pk")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(
            Old(
                station_id=row.station_id,
                user_id=row.user_id,
                accessed_at=row.accessed_at,
                record_type=row.record_type.split(".", 1)[1],
                record_id=row.record_id,
                record_label=row.record_label,
                path=row.path,
            )
        )
        if len(batch) == BATCH:
            Old.objects.bulk_create(batch)
            batch = []
    Old.objects.bulk_create(batch)
    # auto_now_add stamped the copies with the present: give them back their own times.
    for old, new in zip(Old.objects.order_by("pk"), rows, strict=True):
        if old.accessed_at != new.accessed_at:
            Old.objects.filter(pk=old.pk).update(accessed_at=new.accessed_at)
    rows.delete()
    _move_grants(apps, "rescue_station", "minors")


class Migration(migrations.Migration):
    dependencies = [
        ("minors", "0001_minor_cases_registry_activities"),
        ("rescue_station", "0004_access_log_and_case_inspection"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(copy_to_core, copy_back)]
