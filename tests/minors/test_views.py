"""The pages that write: forms parse the input, services write, bad input changes nothing."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from minors.models import (
    Activity,
    Child,
    CounsellingSession,
    FollowUp,
    GuardianshipAssessment,
    Intervention,
    MandatoryReport,
    MinorCase,
    Visit,
)
from tests.factories import StayFactory


def test_it_records_counselling_with_the_acting_user(client_for, users, minor_case):
    response = client_for("minors_worker").post(
        reverse("minors:counselling_add", args=[minor_case.pk]),
        {
            "held_on": "2024-03-02",
            "provider_role": "lawyer",
            "provider_name": "周律师",
            "notes": "法律咨询",
        },
    )
    assert response.status_code == 302
    session = CounsellingSession.objects.get()
    assert (session.case, session.provider_role, session.recorded_by) == (
        minor_case,
        "lawyer",
        users["minors_worker"],
    )
    assert session.history.first().history_user == users["minors_worker"]


def test_a_counselling_date_in_the_future_is_refused(client_for, minor_case):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for("minors_worker").post(
        reverse("minors:counselling_add", args=[minor_case.pk]),
        {"held_on": tomorrow.isoformat(), "provider_role": "lawyer"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == ["该日期晚于今天。"]
    assert not CounsellingSession.objects.exists()


def test_it_records_a_mandatory_report_and_shows_it_on_the_timeline(client_for, minor_case):
    client = client_for("minors_worker")
    response = client.post(
        reverse("minors:report_add", args=[minor_case.pk]),
        {
            "suspicion": "透露遭受家人侵害",
            "reported_at": "2024-03-01T12:30",
            "recipient": "police",
            "recipient_unit": "荷塘派出所",
            "receipt_no": "JJ-001",
            "follow_up": "",
        },
    )
    assert response.status_code == 302
    assert MandatoryReport.objects.get().receipt_no == "JJ-001"
    page = client.get(reverse("minors:case_detail", args=[minor_case.pk])).content.decode()
    assert "JJ-001" in page and "荷塘派出所" in page


def test_a_report_without_suspicion_changes_nothing(client_for, minor_case):
    response = client_for("minors_worker").post(
        reverse("minors:report_add", args=[minor_case.pk]),
        {"suspicion": "", "reported_at": "2024-03-01T12:30", "recipient": "police"},
    )
    assert response.status_code == 200
    assert not MandatoryReport.objects.exists()


def test_the_follow_up_of_a_report_is_added_later(client_for, minor_case):
    report = MandatoryReport.objects.create(
        case=minor_case, suspicion="s", reported_at=timezone.now(), recipient="police"
    )
    client_for("minors_worker").post(
        reverse("minors:report_edit", args=[report.pk]),
        {"receipt_no": "R-9", "follow_up": "公安已立案", "version": report.version},
    )
    report.refresh_from_db()
    assert (report.receipt_no, report.follow_up) == ("R-9", "公安已立案")


def test_the_case_page_and_register_flag_a_harm_not_reported_in_time(client_for, minor_case):
    minor_case.harm_disclosed_at = timezone.now() - timedelta(hours=30)
    minor_case.save()
    for role in ("minors_worker", "supervisor"):
        client = client_for(role)
        for url in (
            reverse("minors:case_detail", args=[minor_case.pk]),
            reverse("minors:cases"),
            reverse("minors:reports"),
        ):
            assert 'data-testid="overdue-reports"' in client.get(url).content.decode(), url


def test_it_closes_a_case_with_an_outcome(client_for, minor_case):
    response = client_for("minors_worker").post(
        reverse("minors:case_edit", args=[minor_case.pk]),
        {
            "reason": "ran_away",
            "guardian_name": "李某",
            "outcome": "returned_to_guardian",
            "version": minor_case.version,
        },
    )
    assert response.status_code == 302
    minor_case.refresh_from_db()
    assert minor_case.outcome == "returned_to_guardian"
    assert minor_case.outcome_on == timezone.localdate()


def test_it_opens_a_case_by_hand_for_a_minor_stay_without_one(client_for, station):
    stay = StayFactory(station=station, admitted_on=date(2024, 5, 1), is_minor=True)
    response = client_for("minors_worker").post(
        reverse("minors:case_new"), {"stay": stay.pk, "reason": "online_contact"}
    )
    assert response.status_code == 302
    assert MinorCase.objects.get(stay=stay).reason == "online_contact"


def test_a_case_by_hand_needs_exactly_one_of_stay_and_child(client_for, station, make_child):
    stay = StayFactory(station=station, admitted_on=date(2024, 5, 1), is_minor=True)
    child = make_child(station)
    client = client_for("minors_worker")
    for data in ({"reason": "other"}, {"stay": stay.pk, "child": child.pk, "reason": "other"}):
        assert client.post(reverse("minors:case_new"), data).status_code == 200
    assert not MinorCase.objects.exists()


def test_a_case_by_hand_cannot_take_another_station_s_stay(client_for, other_station):
    stay = StayFactory(station=other_station, admitted_on=date(2024, 5, 1), is_minor=True)
    response = client_for("minors_worker").post(
        reverse("minors:case_new"), {"stay": stay.pk, "reason": "other"}
    )
    assert response.status_code == 200
    assert not MinorCase.objects.exists()


def test_it_registers_a_child_and_records_the_work_with_them(client_for, station, users):
    client = client_for("minors_worker")
    response = client.post(
        reverse("minors:child_new"),
        {
            "name": "小兰",
            "gender": "female",
            "category": "left_behind",
            "risk_level": "medium",
            "registered_on": "2024-01-10",
            "township": "龙船镇",
        },
    )
    child = Child.objects.get(name="小兰")
    assert response["Location"] == reverse("minors:child_detail", args=[child.pk])
    worker = users["minors_worker"].pk
    posts = {
        "visit": {"visited_on": "2024-02-01", "occasion": "spring_festival", "worker": worker},
        "followup": {"worker": worker, "worker_role": "counsellor", "started_on": "2024-02-01"},
        "assessment": {"assessed_on": "2024-03-01", "assessor": worker, "result": "needs_support"},
        "intervention": {"started_on": "2024-03-02", "worker": worker, "plan": "监护支持"},
    }
    for kind, data in posts.items():
        url = reverse("minors:child_record_add", args=[child.pk, kind])
        assert client.post(url, data).status_code == 302, kind
    assert [
        m.objects.filter(child=child).count()
        for m in (Visit, FollowUp, GuardianshipAssessment, Intervention)
    ] == [1, 1, 1, 1]
    child.refresh_from_db()
    assert child.next_visit_due == date(2024, 5, 1)  # medium risk: 90 days after the visit


def test_a_follow_up_ending_before_it_starts_is_refused(client_for, station, make_child, users):
    child = make_child(station)
    response = client_for("minors_worker").post(
        reverse("minors:child_record_add", args=[child.pk, "followup"]),
        {
            "worker": users["minors_worker"].pk,
            "worker_role": "counsellor",
            "started_on": "2024-02-01",
            "ended_on": "2024-01-01",
        },
    )
    assert response.status_code == 200
    assert not FollowUp.objects.exists()


def test_an_unknown_child_record_kind_is_404(client_for, station, make_child):
    child = make_child(station)
    url = reverse("minors:child_record_add", args=[child.pk, "party"])
    assert client_for("minors_worker").get(url).status_code == 404


def test_it_records_an_activity_with_named_children(client_for, station, make_child):
    kids = [make_child(station), make_child(station)]
    response = client_for("minors_worker").post(
        reverse("minors:activity_new"),
        {
            "kind": "camp",
            "title": "暑期夏令营",
            "held_on": "2024-07-15",
            "venue": "社会实践基地",
            "partner": "湖南工业大学青志联",
            "sessions": 1,
            "participants": 12,
            "children": [k.pk for k in kids],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert set(activity.children.all()) == set(kids)


def test_more_named_children_than_participants_is_refused(client_for, station, make_child):
    kids = [make_child(station), make_child(station)]
    response = client_for("minors_worker").post(
        reverse("minors:activity_new"),
        {
            "kind": "art",
            "title": "美术课",
            "held_on": "2024-07-15",
            "sessions": 1,
            "participants": 1,
            "children": [k.pk for k in kids],
        },
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_the_calendar_shows_the_month_s_activities(client_for, station):
    Activity.objects.create(
        station=station,
        kind="class",
        title="防溺水安全课",
        held_on=date(2024, 6, 3),
        participants=50,
    )
    client = client_for("minors_worker")
    page = client.get(reverse("minors:activities"), {"year": 2024, "month": 6}).content.decode()
    assert "防溺水安全课" in page
    page = client.get(reverse("minors:activities"), {"year": 2024, "month": 7}).content.decode()
    assert "防溺水安全课" not in page
    assert client.get(reverse("minors:activities"), {"year": 2024, "month": 13}).status_code == 400


def test_the_calendar_filters_by_type_through_its_form_and_keeps_the_month(client_for, station):
    for kind, title in [("class", "防溺水安全课"), ("art", "美术课")]:
        Activity.objects.create(
            station=station, kind=kind, title=title, held_on=date(2024, 6, 3), participants=5
        )
    client = client_for("minors_worker")
    url = reverse("minors:activities")
    response = client.get(url, {"year": 2024, "month": 6, "kind": "art"})
    page = response.content.decode()
    assert "美术课" in page and "防溺水安全课" not in page
    # The month travels in the filter block's hidden fields, the type with the month links.
    assert 'name="year" value="2024"' in page and 'name="month" value="6"' in page
    assert "month=7&amp;kind=art" in page
    refused = client.get(url, {"year": 2024, "month": 6, "kind": "bogus"})
    assert "美术课" in refused.content.decode() and "防溺水安全课" in refused.content.decode()
    assert "kind" in refused.context["filter_form"].errors
    assert client.get(url, {"year": 10**30, "month": 6}).status_code == 400


def test_the_registry_filters_children_due_for_a_visit(client_for, station, make_child):
    make_child(station, name="到期", next_visit_due=date(2020, 1, 1))
    make_child(station, name="未到期", next_visit_due=date(2999, 1, 1))
    response = client_for("minors_worker").get(reverse("minors:children"), {"due": "1"})
    assert [c.name for c in response.context["page_obj"]] == ["到期"]


def test_the_case_list_searches_and_filters(client_for, station, users):
    for name, reason in [("张小花", "ran_away"), ("李小草", "online_contact")]:
        stay = StayFactory(
            station=station, admitted_on=date(2024, 5, 1), is_minor=True, person__name=name
        )
        MinorCase.objects.create(
            station=station,
            stay=stay,
            opened_at=timezone.now(),
            opened_on=date(2024, 5, 1),
            reason=reason,
        )
    client = client_for("minors_worker")
    found = client.get(reverse("minors:cases"), {"q": "小花"}).context["page_obj"]
    assert [c.subject_name for c in found] == ["张小花"]
    found = client.get(reverse("minors:cases"), {"reason": "online_contact"}).context["page_obj"]
    assert [c.subject_name for c in found] == ["李小草"]


def test_the_figures_page_defines_children_cared_for(client_for, station):
    Activity.objects.create(
        station=station, kind="class", title="课", held_on=date(2024, 6, 3), participants=50
    )
    response = client_for("supervisor").get(reverse("minors:figures"), {"year": 2024})
    rows = {m.key: (value, definition) for m, value, definition in response.context["rows"]}
    assert rows["minors.class_students"][0] == "50"
    assert "未关联台账儿童" in rows["minors.children_cared_for"][1]


def test_the_activity_list_searches_and_filters(client_for, station):
    for title, kind, day in [
        ("防溺水安全课", "class", date(2024, 6, 3)),
        ("暑期夏令营", "camp", date(2024, 7, 3)),
        ("美术课堂", "art", date(2025, 3, 3)),
    ]:
        Activity.objects.create(
            station=station, kind=kind, title=title, held_on=day, participants=9
        )
    client = client_for("minors_worker")

    def titles(**params):
        page = client.get(reverse("minors:activity_list"), params).context["page_obj"]
        return [a.title for a in page]

    assert titles(q="夏令营") == ["暑期夏令营"]
    assert titles(kind="class") == ["防溺水安全课"]
    assert titles(year="2024") == ["暑期夏令营", "防溺水安全课"]


def test_the_case_summary_comes_as_a_pdf(client_for, minor_case):
    response = client_for("supervisor").get(reverse("minors:case_pdf", args=[minor_case.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
