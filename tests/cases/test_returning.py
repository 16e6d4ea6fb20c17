"""The returning person found while the clerk types the intake (issue 15, item 2): the
suggestions and their reasons, the endpoint the page asks, and the form's "same person" choice."""

from datetime import date

import pytest
from django.urls import reverse

from cases import selectors, services
from cases.forms import IntakeForm
from cases.models import Person, Stay
from cases.names import name_pinyin
from cases.selectors import RETURNING_MAX, ReturningReason, returning_candidates
from rescue_station.validators import id_check_digit
from tests.factories import at

pytestmark = pytest.mark.django_db


def _id(first17: str) -> str:
    return first17 + id_check_digit(first17)


ID_ZHANG = _id("43020319700303123")  # born 1970-03-03


def _person(station, **fields) -> Person:
    fields.setdefault("name", "张三")
    person = Person(station=station, **fields)
    person.save()
    return person


def _reasons(candidates) -> dict[int, str]:
    return {c.person.pk: c.reason for c in candidates}


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


# ---- the pinyin key


def test_the_pinyin_key_of_sound_alike_names_is_one():
    assert name_pinyin("张三") == name_pinyin("章三") == name_pinyin("Zhang San") == "zhangsan"
    assert name_pinyin("李四") != name_pinyin("张三")
    assert name_pinyin("") == name_pinyin("  ") == ""


def test_the_pinyin_is_kept_on_save_and_on_bulk_create(station):
    person = _person(station, name="张三")
    assert Person.objects.get(pk=person.pk).name_pinyin == "zhangsan"
    person.name = "李四"
    person.save(update_fields=["name"])
    assert Person.objects.get(pk=person.pk).name_pinyin == "lisi"
    [bulk] = Person.objects.bulk_create([Person(station=station, name="王五")])
    assert Person.objects.get(pk=bulk.pk).name_pinyin == "wangwu"


def test_the_import_path_fills_the_pinyin_of_new_and_filled_in_persons(station, users):
    unnamed = _person(station, name="", identified=True, id_number=ID_ZHANG)
    Person.objects.filter(pk=unnamed.pk).update(name="")  # an archive row without a name
    intakes = [
        {
            "admitted_at": at(date(2024, 5, 1)),
            "source": "police",
            "person_data": {"name": "赵六", "hometown": "湖南株洲"},
        },
        {
            "admitted_at": at(date(2024, 5, 2)),
            "source": "police",
            "person_data": {"name": "张三", "id_number": ID_ZHANG},
        },
    ]
    stays = services.stays_register_many(
        station=station, acting_user=users["station_staff"], intakes=intakes
    )
    assert Person.objects.get(name="赵六").name_pinyin == "zhaoliu"
    unnamed.refresh_from_db()
    assert (unnamed.name, unnamed.name_pinyin) == ("张三", "zhangsan")
    assert [s.name_at_intake for s in stays] == ["赵六", "张三"]


# ---- the candidates


def test_each_reason_finds_its_person(station, users, make_stay):
    staff = users["station_staff"]
    by_id = _person(station, name="张叁", id_number=ID_ZHANG)
    by_name = _person(station, name="李四", birth_date=date(1980, 1, 2), hometown="湖南株洲")
    by_pinyin = _person(station, name="章三", birth_date=date(1970, 7, 7), hometown="江西萍乡")
    similar = _person(station, name="李四光")  # no birth date: a similar name
    _person(station, name="李四", birth_date=date(1990, 1, 2), hometown="湖南株洲")  # other year
    for person in (by_id, by_name, by_pinyin, similar):
        make_stay(station, date(2024, 1, 5), date(2024, 1, 8), person=person)

    found = _reasons(returning_candidates(staff, station, name="张三", id_number=ID_ZHANG))
    assert found[by_id.pk] == ReturningReason.SAME_ID_NUMBER

    found = _reasons(
        returning_candidates(staff, station, name="李四", birth_year=1980, hometown="湖南株洲")
    )
    assert found == {
        by_name.pk: ReturningReason.SAME_NAME_YEAR_HOMETOWN,
        similar.pk: "similar_name",
    }

    found = _reasons(returning_candidates(staff, station, name="张三", birth_year=1970))
    assert found[by_pinyin.pk] == ReturningReason.SAME_PINYIN_YEAR
    assert by_name.pk not in found

    found = _reasons(returning_candidates(staff, station, name="李四"))
    assert found[similar.pk] == ReturningReason.SIMILAR_NAME


def test_a_candidate_carries_its_stays(station, users, make_stay):
    person = _person(station, name="李四", birth_date=date(1980, 1, 2), hometown="湖南株洲")
    make_stay(station, date(2023, 3, 1), date(2023, 3, 4), person=person)
    make_stay(station, date(2024, 2, 1), date(2024, 2, 9), person=person)
    [candidate] = returning_candidates(
        users["station_staff"], station, name="李四", birth_year=1980, hometown="湖南株洲"
    )
    assert candidate.stay_count == 2
    assert (candidate.last_admitted_on, candidate.last_left_on) == (
        date(2024, 2, 1),
        date(2024, 2, 9),
    )
    assert candidate.birth_year == 1980


def test_another_stations_person_is_never_suggested(station, other_station, users, make_user):
    _person(other_station, name="张三", id_number=ID_ZHANG, hometown="湖南株洲")
    staff = users["station_staff"]
    assert returning_candidates(staff, station, name="张三", id_number=ID_ZHANG) == []
    # Not even to a member of both stations working in this one.
    both = make_user("station_staff", station, other_station, username="both")
    assert returning_candidates(both, station, name="张三", id_number=ID_ZHANG) == []
    assert returning_candidates(both, other_station, name="张三", id_number=ID_ZHANG)


def test_the_suggestions_are_bounded(station, users):
    for i in range(RETURNING_MAX + 5):
        _person(station, name=f"张三{i}")
    found = returning_candidates(users["station_staff"], station, name="张三")
    assert len(found) == RETURNING_MAX


def test_a_person_who_came_as_a_minor_is_suggested_only_to_the_minors_roles(
    station, users, make_stay
):
    child = _person(station, name="王小明", birth_date=date(2012, 1, 1))
    make_stay(station, date(2024, 1, 5), person=child, is_minor=True)
    assert returning_candidates(users["station_staff"], station, name="王小明") == []
    assert _reasons(returning_candidates(users["admin"], station, name="王小明")) == {
        child.pk: ReturningReason.SIMILAR_NAME
    }


def test_an_unidentified_person_and_a_short_name_are_not_suggested(station, users):
    _person(station, name="火车站男子", identified=False, placeholder_no="无名氏-2024-0001")
    staff = users["station_staff"]
    assert returning_candidates(staff, station, name="火车站男子") == []
    _person(station, name="张")
    assert returning_candidates(staff, station, name="张") == []


# ---- the endpoint


def test_the_endpoint_answers_the_clerk_with_masked_id_numbers(client_for, station, make_stay):
    person = _person(
        station, name="张三", id_number=ID_ZHANG, birth_date=date(1970, 3, 3), hometown="湖南株洲"
    )
    make_stay(station, date(2024, 1, 5), date(2024, 1, 8), person=person)
    response = client_for("station_staff").get(
        reverse("cases:returning_search"), {"name": "张三", "birth_date": "1970-03-03"}
    )
    assert response.status_code == 200
    [row] = response.json()["candidates"]
    assert row["id"] == person.pk and row["name"] == "张三" and row["birth_year"] == 1970
    assert row["id_number"] == "4302************" + ID_ZHANG[-2:]
    assert ID_ZHANG not in response.content.decode()
    assert (row["stays"], row["last_admitted_on"], row["last_left_on"]) == (
        1,
        "2024-01-05",
        "2024-01-08",
    )
    assert row["reason"] == ReturningReason.SAME_PINYIN_YEAR  # no hometown typed
    assert row["reason_label"] == "姓名拼音和出生年份相同"


def test_the_endpoint_is_for_those_who_register_intakes(client_for, station):
    _person(station, name="张三")
    url = reverse("cases:returning_search")
    for role in ("supervisor", "minors_worker", "finance_officer", "bureau_supervisor"):
        assert client_for(role).get(url, {"name": "张三"}).status_code == 403, role


def test_the_endpoint_answers_only_the_current_station(client_for, other_station):
    _person(other_station, name="张三", id_number=ID_ZHANG)
    response = client_for("station_staff").get(
        reverse("cases:returning_search"), {"name": "张三", "id_number": ID_ZHANG}
    )
    assert response.json()["candidates"] == []


def test_the_endpoint_refuses_a_date_that_is_none(client_for):
    response = client_for("station_staff").get(
        reverse("cases:returning_search"), {"name": "张三", "birth_date": "1970-13-45"}
    )
    assert response.status_code == 400


# ---- the form's choice


def test_choosing_the_same_person_links_the_intake_and_keeps_the_name_typed(
    client_for, station, make_stay
):
    earlier = _person(station, name="章三", birth_date=date(1970, 3, 3), hometown="江西萍乡")
    make_stay(station, date(2023, 1, 5), date(2023, 1, 8), person=earlier)
    response = client_for("station_staff").post(
        reverse("cases:stay_create"),
        _intake(name="张三", birth_date="1970-03-03", returning_person=str(earlier.pk)),
    )
    assert response.status_code == 302
    stay = Stay.objects.latest("pk")
    assert stay.person == earlier
    assert stay.name_at_intake == "张三"  # what the clerk typed
    earlier.refresh_from_db()
    assert earlier.name == "章三"  # the record is not renamed by an intake
    assert Person.objects.count() == 1
    detail = client_for("station_staff").get(response["Location"])
    assert "本次登记所报姓名" in detail.content.decode()
    # The stay's history keeps the name given at the door.
    assert stay.history.latest().name_at_intake == "张三"


def test_without_a_choice_a_similar_person_is_a_new_person(client_for, station):
    earlier = _person(station, name="章三", birth_date=date(1970, 3, 3))
    response = client_for("station_staff").post(
        reverse("cases:stay_create"), _intake(name="张三", birth_date="1970-03-03")
    )
    assert response.status_code == 302
    stay = Stay.objects.latest("pk")
    assert stay.person != earlier and stay.person.name == "张三"
    assert Person.objects.count() == 2


def test_the_same_id_number_is_the_same_person_and_the_typed_name_is_kept(client_for, station):
    earlier = _person(station, name="张叁", id_number=ID_ZHANG)
    response = client_for("station_staff").post(
        reverse("cases:stay_create"), _intake(name="张三", id_number=ID_ZHANG), follow=True
    )
    stay = Stay.objects.latest("pk")
    assert stay.person == earlier and stay.name_at_intake == "张三"
    earlier.refresh_from_db()
    assert earlier.name == "张叁"
    assert "与人员档案中的姓名（张叁）不同" in response.content.decode()


def test_a_forged_person_of_another_station_is_refused_and_nothing_is_saved(
    client_for, station, other_station
):
    elsewhere = _person(other_station, name="张三")
    response = client_for("station_staff").post(
        reverse("cases:stay_create"), _intake(returning_person=str(elsewhere.pk))
    )
    assert response.status_code == 200
    assert "所选的同一人不是本站的人员" in response.content.decode()
    assert Stay.objects.count() == 0 and Person.objects.count() == 1


def test_a_chosen_person_with_another_id_number_is_refused(client_for, station):
    earlier = _person(station, name="张三", id_number=ID_ZHANG)
    other = _id("43020319800303123")
    response = client_for("station_staff").post(
        reverse("cases:stay_create"), _intake(id_number=other, returning_person=str(earlier.pk))
    )
    assert response.status_code == 200
    assert "所选的同一人身份证号码不同" in response.content.decode()
    assert Stay.objects.count() == 0


def test_the_form_checks_the_choice_against_what_the_user_may_choose(station, users, make_stay):
    child = _person(station, name="王小明", birth_date=date(2012, 1, 1))
    make_stay(station, date(2024, 1, 5), person=child, is_minor=True)
    data = _intake(name="王小明", returning_person=str(child.pk))
    staff_form = IntakeForm(
        data, choosable=selectors.returning_choosable(users["station_staff"], station)
    )
    assert not staff_form.is_valid() and staff_form.non_field_errors()
    admin_form = IntakeForm(data, choosable=selectors.returning_choosable(users["admin"], station))
    assert admin_form.is_valid(), admin_form.errors
    assert admin_form.cleaned_data["returning_person"] == child
    unidentified = IntakeForm(
        {**data, "identified": "0"},
        choosable=selectors.returning_choosable(users["admin"], station),
    )
    assert unidentified.is_valid() and unidentified.cleaned_data["returning_person"] is None
