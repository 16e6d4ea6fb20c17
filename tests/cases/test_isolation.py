"""Station isolation: another station's stay is invisible in lists and exports, and its detail,
edit, print and export URLs answer 404 exactly as a stay that does not exist."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import BelongingsItem, Person, StayExtension, StreetPatrol, Ticket


@pytest.fixture
def theirs(make_stay, other_station):
    person = Person.objects.create(station=other_station, name="外站人员甲")
    return make_stay(other_station, date(2024, 5, 1), person=person)


@pytest.fixture
def mine(make_stay, station):
    return make_stay(
        station, date(2024, 5, 1), person=Person.objects.create(station=station, name="本站人员乙")
    )


def test_the_list_and_the_board_show_only_the_users_station(client_for, theirs, mine):
    client = client_for("station_staff")
    listing = client.get(reverse("cases:stay_list")).content.decode()
    assert "本站人员乙" in listing and "外站人员甲" not in listing
    assert "外站人员甲" not in client.get(reverse("cases:board")).content.decode()
    assert (
        "外站人员甲" not in client.get(reverse("cases:stay_list"), {"q": "外站"}).content.decode()
    )


def test_the_export_holds_only_the_users_station(client_for, theirs, mine):
    response = client_for("station_staff").get(reverse("cases:stay_export"))
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["本站人员乙"]


READ_URLS = [
    ("cases:stay_detail", []),
    ("cases:stay_print", ["registration"]),
    ("cases:stay_print", ["departure"]),
    ("cases:stay_print_pdf", ["registration"]),
]
EDIT_URLS = [("cases:person_edit", []), ("cases:stay_depart", [])]


@pytest.mark.parametrize(("name", "extra"), READ_URLS)
@pytest.mark.parametrize("role", ["station_staff", "supervisor", "admin"])
def test_another_stations_stay_answers_404(client_for, theirs, name, extra, role):
    url = reverse(name, args=[theirs.pk, *extra])
    assert client_for(role).get(url).status_code == 404


@pytest.mark.parametrize(("name", "extra"), EDIT_URLS)
@pytest.mark.parametrize("role", ["station_staff", "admin"])
def test_another_stations_stay_edit_pages_answer_404(client_for, theirs, name, extra, role):
    url = reverse(name, args=[theirs.pk, *extra])
    assert client_for(role).get(url).status_code == 404


def test_writes_to_another_stations_stay_answer_404_and_change_nothing(client_for, theirs):
    client = client_for("station_staff")
    item = BelongingsItem.objects.create(stay=theirs, description="手机")
    ext = StayExtension.objects.create(
        stay=theirs,
        days=3,
        reason="x",
        requested_by=theirs.registered_by or _any_user(),
        requested_at=theirs.admitted_at,
    )
    posts = [
        (
            reverse("cases:stay_event", args=[theirs.pk, "tracing"]),
            {"tracing-method": "dna", "tracing-done_on": "2024-05-02", "tracing-result": "pending"},
        ),
        (
            reverse("cases:stay_depart", args=[theirs.pk]),
            {"left_at": "2024-05-03T10:00", "exit_type": "left_by_choice"},
        ),
        (reverse("cases:person_edit", args=[theirs.pk]), {"name": "改名", "gender": "male"}),
        (reverse("cases:belongings_settle", args=[theirs.pk, item.pk]), {"settle-returned": "on"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert (
        client_for("supervisor")
        .post(reverse("cases:extension_decide", args=[ext.pk]), {"decision": "approve"})
        .status_code
        == 404
    )
    theirs.refresh_from_db()
    item.refresh_from_db()
    ext.refresh_from_db()
    assert theirs.left_at is None and not theirs.tracing_efforts.exists()
    assert theirs.person.name == "外站人员甲" and not item.returned and ext.status == "pending"


def _any_user():
    from rescue_station.models import User

    return User.objects.first()


def test_another_stations_patrols_and_tickets_answer_404(client_for, other_station):
    patrol = StreetPatrol.objects.create(
        station=other_station, patrol_date=date(2024, 1, 1), area="x"
    )
    ticket = Ticket.objects.create(
        station=other_station,
        channel="hotline",
        received_at="2024-01-01T09:00+08:00",
        received_on=date(2024, 1, 1),
        deadline="2024-01-02T09:00+08:00",
        summary="x",
    )
    client = client_for("station_staff")
    assert client.get(reverse("cases:patrol_edit", args=[patrol.pk])).status_code == 404
    assert client.get(reverse("cases:ticket_edit", args=[ticket.pk])).status_code == 404
    assert "x" not in [
        t.summary for t in client.get(reverse("cases:ticket_list")).context["page_obj"]
    ]


def test_station_list_exports_hold_only_the_users_station(client_for, station, other_station):
    from openpyxl import load_workbook as load

    StreetPatrol.objects.create(
        station=station, patrol_date=date(2024, 1, 5), area="=本站区域", campaign="winter"
    )
    StreetPatrol.objects.create(
        station=other_station, patrol_date=date(2024, 1, 5), area="外站区域"
    )
    response = client_for("supervisor").get(
        reverse("cases:patrol_list"), {"export": "xlsx", "start": "2024-01-01"}
    )
    rows = list(load(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("日期", "巡查区域", "专项行动")
    assert rows[1:] == [("2024-01-05", "'=本站区域", "寒冬送温暖", 0, 0, 0, None)]
    for name in ("cases:ticket_list", "cases:safety_list", "cases:long_stay_list"):
        assert (
            client_for("supervisor")
            .get(reverse(name), {"export": "xlsx"})["Content-Type"]
            .startswith("application/vnd.openxmlformats")
        )
