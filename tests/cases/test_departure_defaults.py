"""No answer is given for the person: the departure and intake forms start empty where what they
record feeds a metric (satisfaction, departure type, health status, belongings returned)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from cases.models import BelongingsItem, Stay

# The departure form of a stay carries the stay's version (0: made by the fixture).
DEPART = {"left_at": "2024-05-03T10:00", "exit_type": "family_pickup", "version": 0}


@pytest.fixture
def stay(make_stay, station):
    stay = make_stay(station, date(2024, 5, 1))
    BelongingsItem.objects.create(stay=stay, description="手机")
    BelongingsItem.objects.create(stay=stay, description="身份证")
    return stay


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)[1]
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


def test_the_departure_form_starts_with_no_answer_chosen(client_for, stay):
    html = client_for("station_staff").get(reverse("cases:stay_depart", args=[stay.pk]))
    html = html.content.decode()
    assert _selected(html, "exit_type") in ([], [""])
    assert _selected(html, "satisfaction") in ([], [""])
    boxes = re.findall(r'<input type="checkbox" name="return_items"[^>]*>', html)
    assert len(boxes) == 2
    assert not any("checked" in box for box in boxes)
    assert 'data-check-all="return-items"' in html  # the visible "tick all" button


def test_a_departure_without_a_satisfaction_answer_is_refused(client_for, stay):
    response = client_for("station_staff").post(
        reverse("cases:stay_depart", args=[stay.pk]), {**DEPART, "return_items": []}
    )
    assert response.status_code == 200
    assert "请询问当事人并记录其回答" in response.content.decode()
    stay.refresh_from_db()
    assert stay.left_at is None


def test_no_answer_is_a_choice_of_its_own(client_for, stay):
    items = [str(pk) for pk in stay.belongings.values_list("pk", flat=True)]
    response = client_for("station_staff").post(
        reverse("cases:stay_depart", args=[stay.pk]),
        {**DEPART, "satisfaction": "no_answer", "return_items": items},
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.satisfaction == "no_answer"
    assert stay.belongings.filter(returned=True).count() == 2


def test_only_the_ticked_belongings_are_returned(client_for, stay):
    phone = stay.belongings.get(description="手机")
    response = client_for("station_staff").post(
        reverse("cases:stay_depart", args=[stay.pk]),
        {**DEPART, "satisfaction": "satisfied", "return_items": [str(phone.pk)]},
    )
    # The identity card is neither returned nor explained: the departure is refused, whole.
    assert response.status_code == 200
    assert "离站" in response.content.decode()
    stay.refresh_from_db()
    assert stay.left_at is None
    assert not stay.belongings.filter(returned=True).exists()


def test_a_departure_without_a_type_is_refused(client_for, stay):
    response = client_for("station_staff").post(
        reverse("cases:stay_depart", args=[stay.pk]),
        {"left_at": "2024-05-03T10:00", "satisfaction": "satisfied", "version": stay.version},
    )
    assert response.status_code == 200
    assert "请选择离站方式" in response.content.decode()
    assert Stay.objects.get(pk=stay.pk).left_at is None


def test_the_intake_form_preselects_no_health_status(client_for):
    html = client_for("station_staff").get(reverse("cases:stay_create")).content.decode()
    assert _selected(html, "health_status") in ([], [""])
    response = client_for("station_staff").post(
        reverse("cases:stay_create"),
        {
            "identified": "1",
            "name": "赵六",
            "gender": "male",
            "admitted_at": "2024-05-01T09:00",
            "source": "self",
        },
    )
    assert response.status_code == 200
    assert "请选择入站时观察到的健康状况" in response.content.decode()
    assert not Stay.objects.exists()
