import pytest

from rescue_station.audit import history_rows, save_audited
from rescue_station.services import user_set_role


def test_history_names_who_changed_what_in_readable_words(users, station):
    head = users["supervisor"]
    station.parent_bureau = "株洲市民政局（新）"
    save_audited(station, acting_user=head, reason="更名")
    row = history_rows(station)[0]
    assert row["who"] == head
    assert row["reason"] == "更名"
    assert {"field": "主管部门", "old": "株洲市民政局", "new": "株洲市民政局（新）"} in [
        {**c, "field": str(c["field"])} for c in row["changes"]
    ]


def test_history_shows_a_related_record_and_a_choice_by_name(users, make_user):
    user = make_user("station_staff", username="someone")
    user_set_role(user=user, role="supervisor", acting_user=users["admin"])
    change = next(c for c in history_rows(user)[0]["changes"] if c["field"] == "角色")
    assert (change["old"], change["new"]) == ("业务股工作人员", "站领导")


@pytest.mark.django_db
def test_save_audited_refuses_invalid_data_and_saves_nothing(station):
    from django.core.exceptions import ValidationError

    station.region_code = "43"
    with pytest.raises(ValidationError):
        save_audited(station, acting_user=None)
    station.refresh_from_db()
    assert station.region_code == "430200"
