from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import TZ


@pytest.mark.django_db
def test_it_has_a_migration_for_every_model_change():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check is not clean ({exit_.code}):\n{out.getvalue()}")


# The access log moved from the minors app to the core app (the cases app writes it too).
BEFORE = [
    ("minors", "0001_minor_cases_registry_activities"),
    ("rescue_station", "0003_demo_markers"),
]
AFTER = [
    ("minors", "0003_delete_minors_access_log"),
    ("rescue_station", "0004_access_log_and_case_inspection"),
]
WHEN = datetime(2024, 3, 1, 9, 30, tzinfo=TZ)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_log_with_a_grant(old_apps):
    Station = old_apps.get_model("rescue_station", "Station")
    User = old_apps.get_model("rescue_station", "User")
    OldLog = old_apps.get_model("minors", "AccessLog")
    Permission = old_apps.get_model("auth", "Permission")
    station = Station.objects.create(
        name="株洲市救助管理站", code="zhuzhou", region_code="430200", region_name="株洲市"
    )
    reader = User.objects.create(username="reader")
    User.objects.create(username="plain")
    rows = [
        OldLog.objects.create(
            station=station,
            user=reader,
            record_type=kind,
            record_id=pk,
            record_label=label,
            path=f"/minors/{kind}/{pk}/",
        )
        for kind, pk, label in [
            ("minorcase", 3, "小红"),
            ("child", 5, "小芳"),
            ("minorcase", 3, "小红"),
        ]
    ]
    OldLog.objects.filter(pk=rows[0].pk).update(accessed_at=WHEN)
    # The permission of the old model, as every installation had it (a fresh test database
    # has none: its models no longer declare it).
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="minors", model="accesslog")
    grant, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_accesslog", defaults={"name": "x"}
    )
    reader.user_permissions.add(grant)
    old_apps.get_model("auth", "Group").objects.create(name="auditors").permissions.add(grant)
    return station


def _core_rows():
    from rescue_station.models import AccessLog

    return [
        (
            r.station.code,
            r.user.username,
            r.kind,
            r.record_type,
            r.record_id,
            r.record_label,
            r.path,
        )
        for r in AccessLog.objects.order_by("pk")
    ]


EXPECTED = [
    ("zhuzhou", "reader", "record", "minors.minorcase", 3, "小红", "/minors/minorcase/3/"),
    ("zhuzhou", "reader", "record", "minors.child", 5, "小芳", "/minors/child/5/"),
    ("zhuzhou", "reader", "record", "minors.minorcase", 3, "小红", "/minors/minorcase/3/"),
]


@pytest.mark.django_db(transaction=True)
def test_the_move_of_the_access_log_to_the_core_keeps_every_row_and_grant():
    try:
        _old_log_with_a_grant(_migrate(BEFORE))
        _migrate(AFTER)
        from django.contrib.auth.models import Group, Permission

        from rescue_station.models import AccessLog, User

        assert _core_rows() == EXPECTED
        assert AccessLog.objects.order_by("pk").first().accessed_at == WHEN
        assert User.objects.get(username="reader").has_perm("rescue_station.view_accesslog")
        assert not User.objects.get(username="plain").has_perm("rescue_station.view_accesslog")
        auditors = Group.objects.get(name="auditors").permissions.values_list(
            "codename", "content_type__app_label"
        )
        assert list(auditors) == [("view_accesslog", "rescue_station")]
        assert not Permission.objects.filter(
            content_type__app_label="minors", codename="view_accesslog"
        )

        # Back and forth again (the minors app alone): the rows go back to the minors' table
        # and leave the core's, and come once only.
        old_apps = _migrate([BEFORE[0]])
        assert _core_rows() == []
        old_rows = old_apps.get_model("minors", "AccessLog").objects.order_by("pk")
        assert [(r.record_type, r.record_id, r.record_label) for r in old_rows] == [
            ("minorcase", 3, "小红"),
            ("child", 5, "小芳"),
            ("minorcase", 3, "小红"),
        ]
        assert old_rows.first().accessed_at == WHEN
        _migrate(AFTER)
        assert _core_rows() == EXPECTED
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
