"""The long-stay form's pickers: a scoped search endpoint, labels that tell persons apart, a page
that holds only the chosen person, and a form that still refuses what is not the station's."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cases.forms import LongStayForm
from cases.models import CareInstitution, LongStay, Person
from tests.factories import StayFactory

pytestmark = pytest.mark.django_db

PERSONS = reverse("cases:pick_persons")


def _texts(response) -> list[str]:
    assert response.status_code == 200
    return [row["text"] for row in response.json()]


def test_the_search_answers_the_station_s_persons_with_labels_that_tell_them_apart(
    client_for, station, other_station
):
    Person.objects.create(
        station=station, name="张军", birth_date=date(1958, 3, 1), hometown="江西省莲花县"
    )
    Person.objects.create(station=station, name="张军", estimated_age=40, hometown="湖南省醴陵市")
    Person.objects.create(station=other_station, name="张军外站", hometown="湘潭")
    Person.objects.create(
        station=station, name="", identified=False, placeholder_no="无名氏-2026-0007"
    )
    texts = _texts(client_for("station_staff").get(PERSONS, {"q": "张"}))
    assert texts == ["张军 · 1958 · 江西省莲花县", "张军 · 约40岁 · 湖南省醴陵市"]
    assert _texts(client_for("station_staff").get(PERSONS, {"q": "无名氏-2026"})) == [
        "无名氏-2026-0007"
    ]
    assert _texts(client_for("station_staff").get(PERSONS, {"q": ""})) == []


def test_the_search_answers_at_most_twenty(client_for, station):
    Person.objects.bulk_create(Person(station=station, name=f"李{i:02}") for i in range(30))
    assert len(_texts(client_for("station_staff").get(PERSONS, {"q": "李"}))) == 20


def test_a_minor_s_name_does_not_match_for_a_reader_who_may_not_see_minors(client_for, station):
    stay = StayFactory(
        station=station, admitted_on=date(2026, 1, 5), is_minor=True, person__name="林小雨"
    )
    stay.person.placeholder_no = "无名氏-2026-0001"
    stay.person.save()
    staff = client_for("station_staff")
    assert _texts(staff.get(PERSONS, {"q": "林小"})) == []
    assert _texts(staff.get(PERSONS, {"q": "无名氏"})) == ["（未成年人） · 无名氏-2026-0001"]
    assert _texts(client_for("admin").get(PERSONS, {"q": "林小"})) == ["林小雨 · 无名氏-2026-0001"]


@pytest.mark.parametrize("role", ["minors_worker", "finance_officer", "bureau_supervisor"])
def test_a_user_who_does_not_write_long_stays_is_refused(client_for, role):
    assert client_for(role).get(PERSONS, {"q": "张"}).status_code == 403
    assert client_for(role).get(reverse("cases:pick_institutions"), {"q": "a"}).status_code == 403


def test_the_institution_search_is_the_station_s(client_for, station, other_station):
    CareInstitution.objects.create(station=station, name="株洲福利院", address="荷塘区")
    CareInstitution.objects.create(station=other_station, name="株洲外站院")
    response = client_for("station_staff").get(reverse("cases:pick_institutions"), {"q": "株洲"})
    assert _texts(response) == ["株洲福利院 · 荷塘区"]


def test_the_form_page_holds_the_chosen_person_only(client_for, station):
    persons = Person.objects.bulk_create(
        Person(station=station, name=f"王{i:03}号") for i in range(60)
    )
    chosen = persons[17]
    record = LongStay.objects.create(station=station, person=chosen)
    staff = client_for("station_staff")
    new_page = staff.get(reverse("cases:long_stay_create")).content.decode()
    assert "王0" not in new_page
    assert f'data-picker-url="{PERSONS}"' in new_page
    edit_page = staff.get(reverse("cases:long_stay_edit", args=[record.pk])).content.decode()
    assert f'<option value="{chosen.pk}" selected>王017号</option>' in edit_page
    assert "王016号" not in edit_page and "王018号" not in edit_page


@pytest.mark.parametrize("key", ["other", "999999999", str(2**70), "abc"])
def test_the_form_still_refuses_a_person_outside_the_station(station, other_station, key):
    outsider = Person.objects.create(station=other_station, name="外站")
    value = str(outsider.pk) if key == "other" else key
    form = LongStayForm({"person": value}, station=station)
    assert not form.is_valid()
    assert "person" in form.errors
    # The page drawn again with the refused key shows no option for it (and does not fail).
    assert "外站" not in str(form["person"])


def test_the_form_accepts_a_person_of_the_station(station):
    person = Person.objects.create(station=station, name="赵一")
    form = LongStayForm({"person": str(person.pk)}, station=station)
    assert form.is_valid(), form.errors
