"""The cases app's reads in the access log: a minor's stay, lists that name minors, exports of
persons' data; and the minors' worker, who reads minors' stays only."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import LongStay, Person, StreetPatrol
from rescue_station.models import AccessLog


@pytest.fixture
def minor_stay(make_stay, station):
    person = Person.objects.create(station=station, name="李小红")
    return make_stay(station, date(2024, 3, 1), person=person, is_minor=True)


@pytest.fixture
def adult_stay(make_stay, station):
    person = Person.objects.create(station=station, name="王大成", id_number="")
    return make_stay(station, date(2024, 3, 2), person=person)


def _rows(**lookup):
    return list(AccessLog.objects.filter(**lookup).order_by("pk"))


def test_a_minors_worker_opening_a_minor_s_stay_page_adds_one_row(client_for, users, minor_stay):
    url = reverse("cases:stay_detail", args=[minor_stay.pk])
    response = client_for("minors_worker").get(url)
    assert response.status_code == 200 and "李小红" in response.content.decode()
    [row] = _rows()
    assert (row.user, row.station, row.kind, row.record_type, row.record_id, row.path) == (
        users["minors_worker"],
        minor_stay.station,
        "record",
        "cases.stay",
        minor_stay.pk,
        url,
    )
    assert "李小红" in row.record_label and row.list_name == "cases:stay_detail"


def test_an_adult_s_stay_page_read_by_station_staff_adds_none(client_for, adult_stay):
    client = client_for("station_staff")
    for url in (
        reverse("cases:stay_detail", args=[adult_stay.pk]),
        reverse("cases:stay_print", args=[adult_stay.pk, "registration"]),
        reverse("cases:board"),
        reverse("cases:stay_list"),
    ):
        assert client.get(url).status_code == 200, url
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("cases:stay_print", ["registration"]),
        ("cases:stay_print_pdf", ["departure"]),
        ("cases:person_edit", []),
    ],
)
def test_every_page_showing_a_minor_s_stay_is_logged(client_for, minor_stay, name, args):
    url = reverse(name, args=[minor_stay.pk, *args])
    assert client_for("minors_worker" if "print" in name else "admin").get(url).status_code == 200
    assert [r.path for r in _rows(record_type="cases.stay", record_id=minor_stay.pk)] == [url]


def test_station_staff_s_read_of_a_minor_s_stay_is_logged_too(client_for, users, minor_stay):
    client_for("station_staff").get(reverse("cases:stay_detail", args=[minor_stay.pk]))
    assert [r.user for r in _rows()] == [users["station_staff"]]


def test_a_refused_or_failed_read_of_a_minor_s_stay_logs_nothing(
    client_for, minor_stay, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    minor_stay.person.photo.save("p.png", ContentFile(b"\x89PNG fake"), save=True)
    staff = client_for("station_staff")
    assert staff.get(reverse("cases:person_photo", args=[minor_stay.pk])).status_code == 404
    assert staff.get(reverse("cases:person_edit", args=[minor_stay.pk])).status_code == 403
    no_notice = reverse("cases:stay_print", args=[minor_stay.pk, "refusal"])
    assert client_for("minors_worker").get(no_notice).status_code == 404
    assert not AccessLog.objects.exists()
    # The photo itself, to the minors' worker, is a read of the minor's identity.
    assert (
        client_for("minors_worker")
        .get(reverse("cases:person_photo", args=[minor_stay.pk]))
        .status_code
        == 200
    )
    assert len(_rows()) == 1


def test_the_minors_worker_reads_minors_stays_and_not_adults(client_for, minor_stay, adult_stay):
    client = client_for("minors_worker")
    assert client.get(reverse("cases:stay_detail", args=[minor_stay.pk])).status_code == 200
    for name, args in [("cases:stay_detail", []), ("cases:stay_print", ["registration"])]:
        assert client.get(reverse(name, args=[adult_stay.pk, *args])).status_code == 404
    for name in ("cases:board", "cases:stay_list", "cases:stay_export", "cases:patrol_list"):
        assert client.get(reverse(name)).status_code == 403, name


def test_the_minors_worker_reaches_the_stay_from_the_minor_s_case(client_for, users, minor_stay):
    from minors.services import minor_case_open_for_stay

    case = minor_case_open_for_stay(stay=minor_stay, acting_user=users["minors_worker"])
    page = client_for("minors_worker").get(reverse("minors:case_detail", args=[case.pk]))
    assert reverse("cases:stay_detail", args=[minor_stay.pk]) in page.content.decode()


def test_a_list_naming_minors_logs_one_row_per_request_with_its_filter(
    client_for, users, minor_stay, adult_stay
):
    client = client_for("supervisor")
    url = reverse("cases:stay_list")
    assert "李小红" in client.get(url, {"present": "yes", "q": "李"}).content.decode()
    client.get(url, {"present": "yes", "q": "李"})
    rows = _rows()
    assert len(rows) == 2
    assert {(r.user, r.kind, r.list_name, r.query, r.row_count) for r in rows} == {
        (users["supervisor"], "list", "cases:stay_list", "present=yes&q=李", 1)
    }
    assert rows[0].record_type == "cases.stay" and rows[0].record_id is None


def test_a_list_showing_no_minor_s_name_logs_nothing(client_for, minor_stay, adult_stay):
    # Station staff see the minor's row without the name; the filter leaves only the adult.
    assert client_for("station_staff").get(reverse("cases:stay_list")).status_code == 200
    assert client_for("station_staff").get(reverse("cases:board")).status_code == 200
    client_for("supervisor").get(reverse("cases:stay_list"), {"q": "王大成"})
    assert not AccessLog.objects.exists()


def test_the_board_naming_a_minor_is_logged(client_for, users, minor_stay, adult_stay):
    client_for("supervisor").get(reverse("cases:board"))
    [row] = _rows()
    assert (row.kind, row.list_name, row.row_count) == ("list", "cases:board", 2)


def test_the_long_stay_list_naming_a_minor_is_logged(client_for, station, minor_stay):
    LongStay.objects.create(station=station, person=minor_stay.person)
    client_for("station_staff").get(reverse("cases:long_stay_list"))
    assert not AccessLog.objects.exists()  # shown as "(minor)"
    client_for("supervisor").get(reverse("cases:long_stay_list"))
    [row] = _rows()
    assert (row.list_name, row.record_type, row.row_count) == (
        "cases:long_stay_list",
        "cases.longstay",
        1,
    )


def _sheet_rows(response) -> int:
    return load_workbook(BytesIO(response.content)).active.max_row - 1


def test_an_export_of_adults_data_logs_who_which_list_which_filter_how_many_rows(
    client_for, users, make_stay, station
):
    for i in range(3):
        make_stay(station, date(2024, 4, 1 + i), person=Person.objects.create(station=station))
    client = client_for("station_staff")
    response = client.get(reverse("cases:stay_export"), {"start": "2024-04-02"})
    assert _sheet_rows(response) == 2
    client.get(reverse("cases:stay_export"))
    first, second = _rows()
    assert (first.user, first.kind, first.list_name, first.query, first.row_count) == (
        users["station_staff"],
        "export",
        "cases:stay_export",
        "start=2024-04-02",
        2,
    )
    assert (second.query, second.row_count) == ("", 3)


@pytest.mark.parametrize(
    ("name", "record_type"),
    [("cases:long_stay_list", "cases.longstay"), ("cases:patrol_list", "cases.streetpatrol")],
)
def test_every_list_export_of_the_app_is_logged(client_for, station, adult_stay, name, record_type):
    LongStay.objects.create(station=station, person=adult_stay.person)
    StreetPatrol.objects.create(station=station, patrol_date=date(2024, 3, 1), area="火车站")
    response = client_for("supervisor").get(reverse(name), {"export": "xlsx"})
    [row] = _rows()
    assert (row.kind, row.list_name, row.record_type, row.query, row.row_count) == (
        "export",
        name,
        record_type,
        "export=xlsx",
        _sheet_rows(response),
    )
    assert row.row_count == 1
