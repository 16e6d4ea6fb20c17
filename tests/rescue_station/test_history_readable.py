"""The history of a record reads in words: labels, 是/否, local dates, names, masked ID numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.urls import reverse

from cases import services
from rescue_station.audit import history_rows
from rescue_station.validators import id_check_digit, mask_id_number

FIRST17 = "43020219800101123"
ID_NUMBER = FIRST17 + id_check_digit(FIRST17)


def _changes(obj) -> dict[str, tuple]:
    return {str(c["field"]): (c["old"], c["new"]) for c in history_rows(obj)[0]["changes"]}


def test_an_id_number_change_is_masked_as_in_lists(users, station):
    clerk = users["station_staff"]
    stay = services.stay_register(
        station=station,
        acting_user=clerk,
        admitted_at=datetime(2024, 5, 1, 2, tzinfo=UTC),
        source="self",
        person_data={"name": "张三", "gender": "male"},
    )
    services.person_identify(
        person=stay.person,
        acting_user=clerk,
        data={"name": "张三", "id_number": ID_NUMBER, "birth_date": date(1980, 1, 1)},
        identified=True,
    )
    old, new = _changes(stay.person)["身份证号码"]
    assert ID_NUMBER not in str(new)
    assert new == mask_id_number(ID_NUMBER)  # exactly as the lists show it
    assert old in ("", None)
    # …on the stay page too, whose history rows come from the same helper.
    html = client_for_user(clerk).get(reverse("cases:stay_detail", args=[stay.pk])).content.decode()
    history = html[html.index("history") :]
    assert ID_NUMBER not in history
    row = history_rows(stay.person)[0]
    assert str(row["reason"]) == "补录或更正身份"
    assert str(row["type"]) == "已修改"


def client_for_user(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_booleans_and_dates_read_as_words_and_local_dates(users, station):
    clerk = users["station_staff"]
    stay = services.stay_register(
        station=station,
        acting_user=clerk,
        admitted_at=datetime(2024, 5, 1, 2, tzinfo=UTC),
        source="self",
        person_data={"name": "李四", "gender": "male"},
    )
    services.stay_update_checks(
        stay=stay, acting_user=clerk, safety_checked=True, temperature=None, health_status="good"
    )
    changes = _changes(stay)
    assert changes["已安全检查"] == ("否", "是")


def test_the_children_of_an_activity_read_as_names(users, station):
    from minors import services as minors_services
    from minors.models import Child

    worker = users["minors_worker"]
    fields = {"category": "left_behind", "registered_on": date(2024, 3, 1)}
    first = Child.objects.create(station=station, name="小明", **fields)
    second = Child.objects.create(station=station, name="小红", **fields)
    activity = minors_services.activity_record(
        station=station,
        acting_user=worker,
        children=[first],
        kind="class",
        title="安全教育课",
        held_on=date(2024, 4, 1),
        participants=20,
    )
    minors_services.activity_update(
        activity=activity, acting_user=worker, children=[first, second], venue="社区"
    )
    old, new = _changes(activity)[str(activity._meta.get_field("children").verbose_name)]
    assert (old, new) == ("小明", "小明、小红")
