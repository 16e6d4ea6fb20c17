"""Found in review: minors' identities reached through search, history, long stays and prints;
queries per row on the list pages."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from cases import services
from cases.models import CareInstitution, LongStay, Person, StreetPatrol, Ticket
from tests.factories import TZ


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


def _rows(station, n, make_stay):
    institution = CareInstitution.objects.create(station=station, name="株洲康复医院")
    for i in range(n):
        person = Person.objects.create(station=station, name=f"人员{i}")
        make_stay(station, date(2024, 6, 1) + timedelta(days=i % 5), person=person)
        LongStay.objects.create(station=station, person=person, institution=institution)
        StreetPatrol.objects.create(station=station, patrol_date=date(2024, 6, 1), area="火车站")
        received = datetime(2024, 6, 1, 9, tzinfo=TZ)
        Ticket.objects.create(
            station=station,
            channel="hotline",
            received_at=received,
            received_on=received.date(),
            deadline=received + timedelta(days=1),
            summary="求助",
        )


LIST_PAGES = ["cases:board", "cases:stay_list", "cases:patrol_list", "cases:ticket_list"]


@pytest.mark.parametrize("n", [5, 30])
@pytest.mark.parametrize("name", [*LIST_PAGES, "cases:long_stay_list"])
def test_it_runs_a_bounded_number_of_queries_on_a_list_page(
    client_for, station, make_stay, django_assert_max_num_queries, name, n
):
    _rows(station, n, make_stay)
    client = client_for("supervisor")
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_it_prints_the_paper_forms_in_chinese_whatever_the_readers_language(
    client_for, make_stay, station
):
    stay = make_stay(station, date(2024, 5, 1))
    client = client_for("station_staff")
    client.cookies["django_language"] = "en"
    assert "Came by themselves" in client.get(reverse("cases:stay_list")).content.decode()
    page = client.get(reverse("cases:stay_print", args=[stay.pk, "registration"]))
    assert "自行求助" in page.content.decode()


def test_it_leaves_an_extension_pending_on_a_decision_that_is_neither_button(
    client_for, users, make_stay, station
):
    from django.utils import timezone

    from cases.models import StayExtension

    stay = make_stay(station, date(2024, 5, 1))
    ext = StayExtension.objects.create(
        stay=stay,
        days=5,
        reason="等待家属",
        requested_by=users["station_staff"],
        requested_at=timezone.now(),
    )
    url = reverse("cases:extension_decide", args=[ext.pk])
    response = client_for("supervisor").post(url, {"decision": "approved"}, follow=True)
    ext.refresh_from_db()
    assert ext.status == "pending"
    assert "请选择批准或不批准延期。" in response.content.decode()


def test_it_tells_why_a_belongings_item_was_not_settled(client_for, make_stay, station):
    from cases.models import BelongingsItem

    stay = make_stay(station, date(2024, 5, 1))
    item = BelongingsItem.objects.create(stay=stay, description="手机", quantity=1)
    url = reverse("cases:belongings_settle", args=[stay.pk, item.pk])
    response = client_for("station_staff").post(
        url, {"settle-reason": "长" * 201, "settle-version": item.version}, follow=True
    )
    item.refresh_from_db()
    assert not item.returned and item.not_returned_reason == ""
    assert "200" in response.content.decode().split('class="messages"')[-1][:2000]


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
