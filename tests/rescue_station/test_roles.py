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
