"""A user without the minors permission does not reach a minor's identity: not by search, the
history, the long-stay list and its export, the printed forms, the identity form, nor the family
a tracing effort found."""

from datetime import date

import pytest
from django.urls import reverse

from cases import services
from cases.models import LongStay, Person


@pytest.fixture
def minor_stay(make_stay, station):
    person = Person.objects.create(
        station=station, name="李小红", placeholder_no="W2024-9", description="左眉有痣"
    )
    return make_stay(station, date(2024, 3, 1), person=person, is_minor=True)


def test_it_does_not_find_a_minor_by_name_for_a_user_without_the_minors_permission(
    client_for, minor_stay
):
    url = reverse("cases:stay_list") + "?q=李小红"
    assert client_for("station_staff").get(url).context["page_obj"].paginator.count == 0
    assert client_for("supervisor").get(url).context["page_obj"].paginator.count == 1
    by_number = reverse("cases:stay_list") + "?q=W2024-9"
    assert client_for("station_staff").get(by_number).context["page_obj"].paginator.count == 1


def test_it_keeps_a_minors_identity_changes_out_of_the_history_table(client_for, users, minor_stay):
    services.person_identify(
        person=minor_stay.person,
        acting_user=users["station_staff"],
        data={"name": "李小花"},
        identified=True,
    )
    staff = client_for("station_staff").get(reverse("cases:stay_detail", args=[minor_stay.pk]))
    assert "李小" not in staff.content.decode()
    worker = client_for("minors_worker").get(reverse("cases:stay_detail", args=[minor_stay.pk]))
    assert "李小花" in worker.content.decode()


def test_it_keeps_a_minors_description_off_the_printed_registration(client_for, minor_stay):
    url = reverse("cases:stay_print", args=[minor_stay.pk, "registration"])
    assert "左眉有痣" not in client_for("station_staff").get(url).content.decode()
    assert "左眉有痣" in client_for("minors_worker").get(url).content.decode()


def test_it_names_no_minor_in_the_long_stay_list_or_its_export(
    client_for, station, minor_stay, freeze_today
):
    freeze_today(date(2024, 9, 1))  # six months after the admission: a long-stay candidate
    LongStay.objects.create(station=station, person=minor_stay.person)
    url = reverse("cases:long_stay_list")
    page = client_for("supervisor").get(url).content.decode()
    assert "李小红" in page
    # station staff read the long stays but not the minors' records
    page = client_for("station_staff").get(url).content.decode()
    assert "李小红" not in page
    export = client_for("station_staff").get(url + "?export=xlsx")
    assert "李小红".encode() not in _sheet_text(export.content)


def _sheet_text(data: bytes) -> bytes:
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(data)).active
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row).encode()


# ---- a bounded number of queries per list page, whatever the number of rows


def test_it_keeps_the_identity_form_of_a_minor_from_a_user_without_the_minors_permission(
    client_for, minor_stay
):
    url = reverse("cases:person_edit", args=[minor_stay.pk])
    staff = client_for("station_staff")
    assert staff.get(url).status_code == 403
    assert staff.post(url, {"name": "王五", "identified": "on"}).status_code == 403
    minor_stay.person.refresh_from_db()
    assert minor_stay.person.name == "李小红"
    detail = staff.get(reverse("cases:stay_detail", args=[minor_stay.pk])).content.decode()
    assert url not in detail


def test_it_does_not_name_a_minors_family_to_a_user_without_the_minors_permission(
    client_for, users, minor_stay
):
    services.tracing_add(
        stay=minor_stay,
        acting_user=users["station_staff"],
        method="website",
        done_on=date(2024, 3, 2),
        result="success",
        family_found="父亲李大明",
    )
    for url in (
        reverse("cases:stay_detail", args=[minor_stay.pk]),
        reverse("cases:stay_print", args=[minor_stay.pk, "departure"]),
    ):
        assert "李大明" not in client_for("station_staff").get(url).content.decode(), url
        assert "李大明" in client_for("minors_worker").get(url).content.decode(), url
