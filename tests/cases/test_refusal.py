"""不予救助: a request ended without help, with its reason, its notice, and out of the intakes."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cases import services
from cases.metrics import stay_metrics
from cases.models import BelongingsItem, ExitType, Stay
from cases.views import forms
from tests.factories import TZ


@pytest.fixture
def stay(make_stay, station):
    return make_stay(station, date(2024, 5, 1))


def _refuse(client, stay, **data):
    payload = {"refusal-refused_at": "2024-05-01 12:00", "refusal-reason": "拒不提供真实身份信息"}
    payload["refusal-version"] = Stay.objects.get(pk=stay.pk).version
    payload.update({f"refusal-{k}": v for k, v in data.items()})
    return client.post(reverse("cases:stay_event", args=[stay.pk, "refusal"]), payload)


def test_it_records_a_refusal_with_reason_deciding_user_and_time(client_for, users, stay):
    BelongingsItem.objects.create(stay=stay, description="手机", quantity=1)
    response = _refuse(client_for("station_staff"), stay)
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.exit_type == ExitType.HELP_REFUSED
    assert stay.refusal_reason == "拒不提供真实身份信息"
    assert stay.refused_by == users["station_staff"]
    assert stay.left_at == datetime(2024, 5, 1, 12, tzinfo=TZ)
    assert stay.left_on == date(2024, 5, 1)
    assert stay.belongings.get().returned
    assert stay.history.first().history_user == users["station_staff"]
    page = client_for("supervisor").get(reverse("cases:stay_detail", args=[stay.pk]))
    timeline = page.content.decode().split('data-testid="timeline"')[1].split("</ul>")[0]
    assert "不予救助" in timeline and "拒不提供真实身份信息" in timeline


def test_it_refuses_nothing_without_a_reason(client_for, stay):
    response = _refuse(client_for("station_staff"), stay, reason="  ")
    assert response.status_code == 400
    assert "请填写不予救助的理由。" in response.content.decode()
    stay.refresh_from_db()
    assert stay.is_present and stay.exit_type == ""


def test_it_refuses_nothing_before_the_admission(client_for, stay):
    response = _refuse(client_for("station_staff"), stay, refused_at="2024-04-30 12:00")
    assert response.status_code == 400
    assert "不予救助时间不能早于入站时间" in response.content.decode()
    stay.refresh_from_db()
    assert stay.is_present


def test_it_never_refuses_help_to_a_minor(users, make_stay, station):
    minor = make_stay(station, date(2024, 5, 1), is_minor=True)
    with pytest.raises(ValidationError):
        services.stay_refuse_help(
            stay=minor,
            acting_user=users["station_staff"],
            refused_at=datetime(2024, 5, 1, 12, tzinfo=TZ),
            reason="拒不提供真实信息",
        )
    minor.refresh_from_db()
    assert minor.is_present


def test_it_lets_only_station_staff_refuse_and_only_in_their_station(
    client_for, make_stay, other_station, stay
):
    assert _refuse(Client(), stay).status_code == 302  # to the login page
    assert _refuse(client_for("supervisor"), stay).status_code == 403
    elsewhere = make_stay(other_station, date(2024, 5, 1))
    assert _refuse(client_for("station_staff"), elsewhere).status_code == 404
    stay.refresh_from_db()
    elsewhere.refresh_from_db()
    assert stay.is_present and elsewhere.is_present


def test_it_offers_no_help_refused_on_the_departure_form(stay):
    choices = [c[0] for c in forms.DepartureForm(stay=stay).fields["exit_type"].choices]
    assert ExitType.HELP_REFUSED not in choices
    with pytest.raises(ValidationError):
        services.stay_depart(
            stay=stay,
            acting_user=None,
            left_at=datetime(2024, 5, 2, tzinfo=TZ),
            exit_type=ExitType.HELP_REFUSED,
        )


def test_it_prints_the_refusal_notice_only_for_a_refused_request(client_for, stay):
    client = client_for("station_staff")
    url = reverse("cases:stay_print", args=[stay.pk, "refusal"])
    assert client.get(url).status_code == 404
    _refuse(client, stay)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "不予救助通知书" in text and "拒不提供真实身份信息" in text
    assert client.get(reverse("cases:stay_print", args=[stay.pk, "termination"])).status_code == 404
    pdf = client.get(reverse("cases:stay_print_pdf", args=[stay.pk, "refusal"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_it_counts_a_refused_request_as_no_intake(users, make_stay, station, freeze_today):
    freeze_today(date(2024, 12, 31))
    make_stay(station, date(2024, 5, 1), date(2024, 5, 3), temperature="36.5")
    refused = make_stay(station, date(2024, 5, 1))
    services.stay_refuse_help(
        stay=refused,
        acting_user=users["station_staff"],
        refused_at=datetime(2024, 5, 1, 11, tzinfo=TZ),
        reason="拒不提供真实信息",
    )
    figures = stay_metrics(station, date(2024, 1, 1), date(2024, 12, 31))
    assert figures["cases.intakes"] == 1
    assert figures["cases.person_days"] == 2
    assert figures["cases.temperature_check_rate"] == 100
    assert Stay.objects.count() == 2


def test_the_demo_has_refused_requests_that_are_no_intakes(station, freeze_today):
    from demo import cases as demo
    from demo.stations import demo_users

    freeze_today(date(2026, 11, 26))
    demo.load(station=station, users=demo_users(station), today=date(2026, 11, 26))
    refused = Stay.objects.filter(exit_type=ExitType.HELP_REFUSED, admitted_on__year=2024)
    assert refused.count() == 3 and all(s.refusal_reason for s in refused)
    admitted = Stay.objects.filter(admitted_on__year=2024).count()
    figures = stay_metrics(station, date(2024, 1, 1), date(2024, 12, 31))
    assert figures["cases.intakes"] == admitted - 3


def test_it_writes_the_reason_into_the_notices_sentence_without_its_full_stop(
    client_for, users, stay
):
    services.stay_refuse_help(
        stay=stay,
        acting_user=users["station_staff"],
        refused_at=datetime(2024, 5, 1, 11, tzinfo=TZ),
        reason="拒不提供真实身份。",
    )
    url = reverse("cases:stay_print", args=[stay.pk, "refusal"])
    text = client_for("station_staff").get(url).content.decode()
    assert "因拒不提供真实身份，根据" in text
