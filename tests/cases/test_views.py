"""Access to every page (anonymous, wrong role, right role) and the forms' refusals."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Escort, Person, Stay, Ticket, TicketChannel
from rescue_station.validators import id_check_digit
from tests.factories import TZ


@pytest.fixture
def stay(make_stay, station):
    return make_stay(station, date(2024, 5, 1))


def _pages(stay):
    return [
        ("cases:board", [], "station_staff", "finance_officer"),
        ("cases:stay_list", [], "supervisor", "bureau_supervisor"),
        ("cases:stay_export", [], "supervisor", "finance_officer"),
        ("cases:stay_create", [], "station_staff", "supervisor"),
        ("cases:stay_import", [], "station_staff", "minors_worker"),
        ("cases:import_template", [], "station_staff", "bureau_supervisor"),
        ("cases:stay_detail", [stay.pk], "supervisor", "finance_officer"),
        ("cases:person_edit", [stay.pk], "station_staff", "supervisor"),
        ("cases:stay_depart", [stay.pk], "station_staff", "bureau_supervisor"),
        ("cases:stay_print", [stay.pk, "registration"], "supervisor", "finance_officer"),
        ("cases:stay_print", [stay.pk, "departure"], "station_staff", "finance_officer"),
        ("cases:stay_print", [stay.pk, "self_leave"], "station_staff", "finance_officer"),
        ("cases:stay_print", [stay.pk, "termination"], "supervisor", "bureau_supervisor"),
        ("cases:patrol_list", [], "supervisor", "finance_officer"),
        ("cases:patrol_create", [], "station_staff", "supervisor"),
        ("cases:area_create", [], "station_staff", "supervisor"),
        ("cases:ticket_list", [], "supervisor", "minors_worker"),
        ("cases:ticket_create", [], "station_staff", "minors_worker"),
        ("cases:safety_list", [], "supervisor", "finance_officer"),
        ("cases:safety_check_create", [], "station_staff", "supervisor"),
        ("cases:incident_create", [], "station_staff", "supervisor"),
        ("cases:long_stay_list", [], "supervisor", "finance_officer"),
        ("cases:long_stay_create", [], "station_staff", "supervisor"),
        ("cases:institution_create", [], "station_staff", "supervisor"),
        ("cases:inspection_create", [], "station_staff", "supervisor"),
    ]


def test_it_answers_each_page_by_role(client_for, stay):
    for name, args, allowed, refused in _pages(stay):
        url = reverse(name, args=args)
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
        assert client_for(refused).get(url).status_code == 403, (url, refused)
        assert client_for(allowed).get(url).status_code == 200, (url, allowed)


def test_it_serves_the_printable_form_as_a_pdf(client_for, stay):
    response = client_for("station_staff").get(
        reverse("cases:stay_print_pdf", args=[stay.pk, "registration"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def _intake(**overrides):
    data = {
        "identified": "1",
        "name": "张三",
        "gender": "male",
        "admitted_at": "2024-05-01T10:00",
        "source": "police",
        "health_status": "good",
        "temperature": "36.5",
        "safety_checked": "on",
    }
    data.update(overrides)
    return data


def test_the_intake_form_registers_and_reuses_a_known_person(client_for, station):
    client = client_for("station_staff")
    first17 = "43020319700303123"
    number = first17 + id_check_digit(first17)
    response = client.post(reverse("cases:stay_create"), _intake(id_number=number))
    assert response.status_code == 302
    client.post(
        reverse("cases:stay_create"), _intake(id_number=number, admitted_at="2024-06-01T10:00")
    )
    assert Stay.objects.count() == 2 and Person.objects.count() == 1
    detail = client.get(reverse("cases:stay_detail", args=[Stay.objects.first().pk]))
    assert b'data-testid="earlier-stays"' in detail.content


def test_a_wrong_id_check_digit_is_refused_with_its_message(client_for):
    first17 = "43020319700303123"
    wrong = first17 + ("0" if id_check_digit(first17) != "0" else "1")
    response = client_for("station_staff").post(
        reverse("cases:stay_create"), _intake(id_number=wrong)
    )
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    assert not Stay.objects.exists() and not Person.objects.exists()


def test_a_departure_before_arrival_is_refused_and_saves_nothing(client_for, stay):
    response = client_for("station_staff").post(
        reverse("cases:stay_depart", args=[stay.pk]),
        {
            "left_at": "2024-04-30T10:00",
            "exit_type": "left_by_choice",
            "satisfaction": "satisfied",
            "version": stay.version,
        },
    )
    assert response.status_code == 200
    assert "离站时间不能早于入站时间" in response.content.decode()
    stay.refresh_from_db()
    assert stay.left_at is None


def test_a_negative_escort_cost_is_refused_and_saves_nothing(client_for, stay):
    response = client_for("station_staff").post(
        reverse("cases:stay_depart", args=[stay.pk]),
        {
            "left_at": "2024-05-03T10:00",
            "exit_type": "escorted_home",
            "satisfaction": "satisfied",
            "version": stay.version,
            "trip_date": "2024-05-03",
            "escorts": "李业务",
            "destination": "江西萍乡",
            "transport": "car",
            "cost": "-5",
        },
    )
    assert response.status_code == 200
    assert "费用不能为负数" in response.content.decode()
    stay.refresh_from_db()
    assert stay.left_at is None and not Escort.objects.exists()


def test_an_escorted_departure_closes_the_stay(client_for, stay):
    response = client_for("station_staff").post(
        reverse("cases:stay_depart", args=[stay.pk]),
        {
            "left_at": "2024-05-03T10:00",
            "exit_type": "escorted_home",
            "satisfaction": "satisfied",
            "version": stay.version,
            "trip_date": "2024-05-03",
            "escorts": "李业务",
            "destination": "江西萍乡",
            "transport": "car",
            "cost": "300",
        },
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.exit_type == "escorted_home" and stay.escort.cost == 300


def test_event_forms_record_tracing_and_refuse_a_success_without_family(client_for, stay):
    client = client_for("station_staff")
    url = reverse("cases:stay_event", args=[stay.pk, "tracing"])
    bad = client.post(
        url, {"tracing-method": "dna", "tracing-done_on": "2024-05-02", "tracing-result": "success"}
    )
    assert bad.status_code == 400 and not stay.tracing_efforts.exists()
    ok = client.post(
        url, {"tracing-method": "dna", "tracing-done_on": "2024-05-02", "tracing-result": "pending"}
    )
    assert ok.status_code == 302 and stay.tracing_efforts.count() == 1
    assert stay.tracing_efforts.get().history.first().history_user.username == "station_staff"


def test_only_the_station_head_decides_an_extension(client_for, users, stay):
    client_for("station_staff").post(
        reverse("cases:stay_event", args=[stay.pk, "extension"]),
        {"extension-days": "5", "extension-reason": "等待家属"},
    )
    ext = stay.extensions.get()
    url = reverse("cases:extension_decide", args=[ext.pk])
    assert client_for("station_staff").post(url, {"decision": "approve"}).status_code == 403
    assert client_for("supervisor").post(url, {"decision": "approve"}).status_code == 302
    ext.refresh_from_db()
    assert ext.status == "approved"


def test_station_staff_see_only_that_a_stay_is_a_minors(client_for, make_stay, station):
    person = Person.objects.create(station=station, name="小明同学", birth_date=date(2012, 1, 1))
    make_stay(station, date(2024, 5, 1), person=person, is_minor=True)
    board = client_for("station_staff").get(reverse("cases:board")).content.decode()
    assert "小明同学" not in board and "未成年人" in board
    listing = client_for("station_staff").get(reverse("cases:stay_list")).content.decode()
    assert "小明同学" not in listing


def test_the_list_searches_and_filters(client_for, make_stay, station):
    a = make_stay(
        station, date(2024, 5, 1), person=Person.objects.create(station=station, name="王大锤")
    )
    make_stay(
        station,
        date(2024, 6, 1),
        date(2024, 6, 2),
        person=Person.objects.create(station=station, name="李小龙"),
    )
    client = client_for("station_staff")
    # Two characters match names by prefix (tests/cases/test_search.py has the rules).
    page = client.get(reverse("cases:stay_list"), {"q": "王大"}).context["page_obj"]
    assert list(page) == [a]
    page = client.get(reverse("cases:stay_list"), {"present": "yes"}).context["page_obj"]
    assert list(page) == [a]


def test_records_of_the_station_are_saved_with_history(client_for, station):
    client = client_for("station_staff")
    response = client.post(
        reverse("cases:ticket_create"),
        {
            "channel": "hotline",
            "number": "RX1",
            "received_at": "2024-05-01T09:00",
            "deadline": "2024-05-02T09:00",
            "summary": "桥洞有人露宿",
            "handled_at": "2024-05-01T15:00",
            "outcome": "已劝导入站",
        },
    )
    assert response.status_code == 302
    from cases.models import Ticket

    ticket = Ticket.objects.get()
    assert ticket.received_on == date(2024, 5, 1) and ticket.station == station
    assert ticket.history.first().history_user.username == "station_staff"
    assert datetime(2024, 5, 1, 9, tzinfo=TZ) + timedelta(days=1) == ticket.deadline


@pytest.mark.parametrize(
    ("name", "kwargs_of", "data", "refused"),
    [
        (
            "cases:stay_event",
            lambda s: {"pk": s.pk, "kind": "care"},
            {"care-food": "on"},
            "supervisor",
        ),
        ("cases:stay_event", lambda s: {"pk": s.pk, "kind": "tracing"}, {}, "minors_worker"),
        ("cases:stay_import_confirm", lambda s: {}, {"token": "x"}, "bureau_supervisor"),
    ],
)
def test_writing_views_refuse_anonymous_and_read_only_roles(
    client_for, stay, name, kwargs_of, data, refused
):
    url = reverse(name, kwargs=kwargs_of(stay))
    response = Client().post(url, data)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client_for(refused).post(url, data).status_code == 403
    assert client_for("finance_officer").post(url, data).status_code == 403


def test_the_event_views_answer_only_post_and_known_kinds(client_for, stay):
    client = client_for("station_staff")
    assert client.get(reverse("cases:stay_event", args=[stay.pk, "care"])).status_code == 405
    assert client.post(reverse("cases:stay_event", args=[stay.pk, "nonsense"])).status_code == 404
    response = client.post(
        reverse("cases:stay_event", args=[stay.pk, "care"]),
        {"care-food": "on", "care-lodging": "on", "care-clothing": "on", "care-version": 0},
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.basic_care_recorded


def test_the_photo_is_served_only_through_the_stay(
    client_for, stay, other_station, make_stay, settings, tmp_path
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path

    stay.person.photo.save("p.png", ContentFile(b"\x89PNG fake"), save=True)
    assert (
        client_for("station_staff").get(reverse("cases:person_photo", args=[stay.pk])).status_code
        == 200
    )
    theirs = make_stay(other_station, date(2024, 5, 1))
    assert (
        client_for("station_staff").get(reverse("cases:person_photo", args=[theirs.pk])).status_code
        == 404
    )


def test_long_stay_candidates_are_present_beyond_the_months(
    client_for, make_stay, station, freeze_today
):
    freeze_today(date(2024, 9, 1))
    old = make_stay(station, date(2024, 5, 1))
    make_stay(station, date(2024, 6, 2))
    page = client_for("supervisor").get(reverse("cases:long_stay_list"))
    assert list(page.context["candidates"]) == [old]


def test_identity_is_filled_in_later_keeping_the_placeholder(client_for, station):
    client = client_for("station_staff")
    client.post(reverse("cases:stay_create"), _intake(identified="0", name=""))
    stay = Stay.objects.get()
    assert stay.person.placeholder_no and not stay.person.identified
    url = reverse("cases:person_edit", args=[stay.pk])
    refused = client.post(url, {"gender": "male", "identified": "on", "version": 0})
    assert (
        refused.status_code == 200
        and "请填写姓名，或按身份不明人员登记" in refused.content.decode()
    )
    client.post(
        url,
        {
            "name": "赵大",
            "gender": "male",
            "hometown": "湖南省攸县",
            "identified": "on",
            "version": 0,
        },
    )
    stay.person.refresh_from_db()
    assert stay.person.identified and stay.person.name == "赵大"
    assert stay.person.placeholder_no.startswith("无名氏-")
    assert stay.is_special  # special at intake stays so for tracing coverage


def test_the_board_flags_tracing_work_that_is_overdue(client_for, make_stay, station, freeze_today):
    from cases.models import TracingEffort, TracingPolicy
    from cases.selectors import tracing_due, working_days_between

    assert working_days_between(date(2024, 5, 3), date(2024, 5, 13)) == 6  # Fri -> Mon next week
    stay = make_stay(station, date(2024, 5, 3), is_special=True)
    policy = TracingPolicy(station=station)
    later = datetime(2024, 5, 4, 11, tzinfo=TZ)  # 25 hours after admission
    assert tracing_due(stay, policy, later) == ["寻亲公告逾期"]
    TracingEffort.objects.create(stay=stay, method="website", done_on=date(2024, 5, 3))
    assert tracing_due(stay, policy, later) == []
    assert tracing_due(stay, policy, datetime(2024, 5, 15, 11, tzinfo=TZ)) == ["DNA采血逾期"]
    policy.dna_working_days = 10
    assert tracing_due(stay, policy, datetime(2024, 5, 15, 11, tzinfo=TZ)) == []
    assert "寻亲公告待更新" in tracing_due(stay, policy, datetime(2024, 8, 14, 11, tzinfo=TZ))


def test_an_institution_and_an_inspection_of_it_are_recorded(client_for, station):
    from cases.models import CareInstitution, Inspection

    client = client_for("station_staff")
    response = client.post(reverse("cases:institution_create"), {"name": "株洲市社会福利院"})
    assert response.status_code == 302
    institution = CareInstitution.objects.get(station=station)
    response = client.post(
        reverse("cases:inspection_create"),
        {
            "institution": institution.pk,
            "inspected_on": "2024-05-01",
            "kind": "unannounced",
            "inspectors": "张站长",
        },
    )
    assert response.status_code == 302
    assert Inspection.objects.get().institution == institution


def test_a_new_ticket_starts_received_now_and_an_old_one_keeps_its_time(client_for, station):
    client = client_for("station_staff")
    before = timezone.localtime().replace(second=0, microsecond=0)
    page = client.get(reverse("cases:ticket_create")).content.decode()
    value = re.search(r'name="received_at" value="([^"]+)"', page).group(1)
    after = timezone.localtime().replace(second=0, microsecond=0)
    assert before.strftime("%Y-%m-%dT%H:%M") <= value <= after.strftime("%Y-%m-%dT%H:%M")
    assert 'name="deadline" value=' not in page  # the deadline is the caller's, never guessed

    received = datetime(2026, 3, 1, 9, 15, tzinfo=TZ)
    ticket = Ticket.objects.create(
        station=station,
        channel=TicketChannel.choices[0][0],
        received_at=received,
        received_on=received.date(),
        deadline=received + timedelta(days=1),
        summary="来电",
    )
    page = client.get(reverse("cases:ticket_edit", args=[ticket.pk])).content.decode()
    assert 'name="received_at" value="2026-03-01T09:15"' in page


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
