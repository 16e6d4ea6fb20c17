from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from rescue_station.models import Station
from rescue_station.roles import Role
from rescue_station.scoping import user_stations
from rescue_station.services import roles_sync


@pytest.mark.django_db
def test_every_role_has_its_group():
    roles_sync()
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


def test_each_user_has_exactly_the_group_of_its_role(users):
    for role, user in users.items():
        assert list(user.groups.values_list("name", flat=True)) == [role]


def test_the_bureau_supervisor_holds_view_permissions_only(users):
    perms = users["bureau_supervisor"].get_all_permissions()
    assert perms
    assert all(p.split(".")[1].startswith("view_") for p in perms), perms


def test_station_staff_cannot_write_the_budget_or_finalise(users):
    staff = users["station_staff"]
    assert staff.has_perm("cases.add_stay")
    assert not staff.has_perm("rescue_station.view_dashboard")
    assert not users["finance_officer"].has_perm("cases.add_stay")


def test_only_the_admin_role_is_staff(users):
    assert [r for r, u in users.items() if u.is_staff] == ["admin"]
    assert users["admin"].has_perm("rescue_station.change_station")
    assert not users["supervisor"].has_perm("rescue_station.change_station")


def _station(code: str, region: str) -> Station:
    return Station.objects.create(name=code, code=code, region_code=region, region_name=code)


def test_grant_region_gives_every_station_of_the_prefix(make_user):
    user = make_user("bureau_supervisor")
    _station("zhuzhou", "430200")
    _station("changsha", "430100")
    _station("wuhan", "420100")
    out = StringIO()
    call_command("grant_region", user.username, "43", stdout=out)
    assert sorted(user_stations(user).values_list("code", flat=True)) == ["changsha", "zhuzhou"]
    call_command("grant_region", user.username, "43", stdout=out)  # twice: no duplicate
    assert user.memberships.count() == 2


def test_grant_region_refuses_a_prefix_that_is_not_digits(make_user):
    make_user("bureau_supervisor")
    with pytest.raises(CommandError):
        call_command("grant_region", "bureau_supervisor", "hunan")


# The role review (issue 9): each role holds what its work needs, by app and action, and the
# custom permissions named here; nothing else (no core app permission, no history model's).
APP_ACTIONS = {
    "station_staff": {"cases": {"add", "change", "view"}},
    "minors_worker": {"minors": {"add", "change", "view"}},
    "finance_officer": {
        "budget": {"add", "change", "view"},
        "performance": {"add", "change", "view"},
    },
    "supervisor": {
        "cases": {"view"},
        "minors": {"view"},
        "budget": {"view"},
        "performance": {"view"},
    },
    "bureau_supervisor": {"budget": {"view"}, "performance": {"view"}},
}
EXTRAS = {
    "station_staff": {"rescue_station.view_statistics"},
    "minors_worker": set(),
    "finance_officer": {"rescue_station.view_dashboard", "performance.approve_framework"},
    "supervisor": {
        "cases.approve_extension",
        "performance.finalise_evaluation",
        "performance.reopen_evaluation",
        "rescue_station.view_dashboard",
        "rescue_station.view_accesslog",
        "rescue_station.view_statistics",
    },
    "bureau_supervisor": {"rescue_station.view_dashboard", "rescue_station.view_statistics"},
}


def _held(user) -> tuple[dict[str, set[str]], set[str]]:
    perms = user.get_all_permissions()
    extras = perms & set().union(*EXTRAS.values())
    by_app: dict[str, set[str]] = {}
    for perm in perms - extras:
        app_label, codename = perm.split(".")
        by_app.setdefault(app_label, set()).add(codename.split("_", 1)[0])
    return by_app, extras


@pytest.mark.parametrize("role", list(APP_ACTIONS))
def test_each_role_holds_what_its_work_needs_and_no_more(users, role):
    by_app, extras = _held(users[role])
    assert by_app == APP_ACTIONS[role]
    assert extras == EXTRAS[role]
    perms = users[role].get_all_permissions()
    assert not [p for p in perms if "_historical" in p], "history rows are nobody's to edit"


def test_the_roles_that_work_on_an_app_hold_every_model_of_it(users):
    staff, worker = users["station_staff"], users["minors_worker"]
    assert {
        "cases.add_stay",
        "cases.change_ticket",
        "cases.view_longstay",
    } <= staff.get_all_permissions()
    assert {"minors.add_child", "minors.change_minorcase", "minors.view_activity"} <= (
        worker.get_all_permissions()
    )


def test_no_role_grants_case_inspection_or_the_log_by_a_blanket_rule(users):
    for role, user in users.items():
        if role == "admin":
            continue
        assert not user.has_perm("rescue_station.inspect_cases"), role
    assert {r for r, u in users.items() if u.has_perm("rescue_station.view_accesslog")} == {
        "supervisor",
        "admin",
    }


def test_case_inspection_granted_to_a_bureau_user_adds_the_view_permissions_only(users):
    from django.contrib.auth.models import Permission

    from rescue_station.models import User

    bureau = users["bureau_supervisor"]
    bureau.user_permissions.add(Permission.objects.get(codename="inspect_cases"))
    bureau = User.objects.get(pk=bureau.pk)  # permissions are cached on the instance
    by_app, _extras = _held(bureau)
    assert by_app == {
        **APP_ACTIONS["bureau_supervisor"],
        "cases": {"view"},
        "minors": {"view"},
        "rescue_station": {"inspect"},  # the grant itself
    }
    assert bureau.has_perm("cases.view_stay") and bureau.has_perm("minors.view_child")
    assert not bureau.has_perm("rescue_station.view_accesslog")
    assert not bureau.has_perm("cases.change_stay")
