"""Plausible values in the cases app: each rule on the page form and on an import row alike."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.forms import TicketForm
from cases.models import Person, Stay
from rescue_station.validators import id_check_digit
from tests.factories import at

from .test_import import _row, _upload
from .test_views import _intake

MALE17 = "43020319700303123"  # born 1970-03-03, sex digit 3: a man
MALE_ID = MALE17 + id_check_digit(MALE17)
FEMALE17 = "43020319700303124"
FEMALE_ID = FEMALE17 + id_check_digit(FEMALE17)
TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


def _post_intake(client_for, **overrides):
    response = client_for("station_staff").post(reverse("cases:stay_create"), _intake(**overrides))
    return response, response.content.decode()


def _import_errors(client_for, **cells) -> dict[str, str]:
    response = client_for("station_staff").post(
        reverse("cases:stay_import"), {"file": _upload(_row(**cells))}
    )
    assert response.status_code == 200
    assert "token" not in response.context
    assert not Stay.objects.exists()
    return {e.column: e.message for e in response.context["result"].errors if e.row == 2}


# The rules, each once: (intake form data, import row cells, the field, the column, a word of
# the Chinese message).
RULES = {
    "birth date in the future": (
        {"birth_date": TOMORROW},
        {"出生日期": TOMORROW, "身份证号码": ""},
        "birth_date",
        "出生日期",
        "晚于今天",
    ),
    "birth date before 1900": (
        {"birth_date": "1899-12-31"},
        {"出生日期": "1899-12-31", "身份证号码": ""},
        "birth_date",
        "出生日期",
        "1900",
    ),
    "ID number of another birth date": (
        {"birth_date": "1971-03-03", "id_number": MALE_ID},
        {"出生日期": "1971-03-03", "身份证号码": MALE_ID},
        "birth_date",
        "出生日期",
        "1970-03-03",
    ),
    "ID number of a man, gender female": (
        {"gender": "female", "id_number": MALE_ID},
        {"性别": "女", "身份证号码": MALE_ID},
        "gender",
        "性别",
        "男性",
    ),
    "ID number of a woman, gender male": (
        {"gender": "male", "id_number": FEMALE_ID},
        {"性别": "男", "身份证号码": FEMALE_ID},
        "gender",
        "性别",
        "女性",
    ),
    "fever with good health and no note": (
        {"temperature": "37.3", "health_status": "good"},
        {"体温": "37.3", "健康状况": "良好"},
        "health_note",
        "健康状况",
        "37.3",
    ),
    "a control character in the name": (
        {"name": "张\x1b三"},
        {"姓名": "张\x7f三"},  # a worksheet cannot even hold ESC: DEL then
        "name",
        "姓名",
        "控制字符",
    ),
    "a bidi override in the reason": (
        {"reason": "务工\u202e未果"},
        {"求助原因": "务工\u202e未果"},
        "reason",
        "求助原因",
        "U+202E",
    ),
    "a reason too long": (
        {"reason": "字" * 5001},
        {"求助原因": "字" * 5001},
        "reason",
        "求助原因",
        "5000",
    ),
    "an admission in the future": (
        {"admitted_at": (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
        {"入站时间": (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")},
        "admitted_at",
        "入站时间",
        "晚于当前时间",
    ),
    "an admission in year 9999": (
        {"admitted_at": "9999-12-31T23:59"},
        {"入站时间": "9999-12-31 23:59"},
        "admitted_at",
        "入站时间",
        "晚于当前时间",
    ),
    "an admission in year 1": (
        {"admitted_at": "0001-01-01T00:00"},
        {"入站时间": "0001-01-01 00:00"},
        "admitted_at",
        "入站时间",
        "1900",
    ),
    "a birth date in year 1": (
        {"birth_date": "0001-01-01"},
        {"出生日期": "0001-01-01", "身份证号码": ""},
        "birth_date",
        "出生日期",
        "1900",
    ),
    "a birth date in year 9999": (
        {"birth_date": "9999-12-31"},
        {"出生日期": "9999-12-31", "身份证号码": ""},
        "birth_date",
        "出生日期",
        "晚于今天",
    ),
    "an estimated age above 120": (
        {"estimated_age": "130"},
        {"估计年龄": "130", "出生日期": "", "身份证号码": ""},
        "estimated_age",
        "估计年龄",
        "120",
    ),
}


@pytest.mark.parametrize("rule", RULES)
def test_the_intake_form_refuses_it_keeping_the_input(client_for, rule):
    form_data, _cells, field, _column, word = RULES[rule]
    response, text = _post_intake(client_for, **form_data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert word in " ".join(errors[field])
    assert not Stay.objects.exists() and not Person.objects.exists()
    assert 'value="张三"' in text or field == "name"  # what was typed is still there


@pytest.mark.parametrize("rule", RULES)
def test_an_import_row_refuses_it_under_its_column(client_for, rule):
    _form_data, cells, _field, column, word = RULES[rule]
    errors = _import_errors(client_for, **cells)
    assert column in errors, errors
    assert word in errors[column]


def test_a_fever_with_good_health_is_recorded_with_a_note(client_for):
    response, _text = _post_intake(
        client_for, temperature="37.8", health_status="good", health_note="刚跑步进站，复测正常"
    )
    assert response.status_code == 302
    assert Stay.objects.get().temperature == Decimal("37.8")


def test_the_id_number_fills_an_empty_birth_date_and_gender(client_for):
    response, _text = _post_intake(client_for, gender="unknown", id_number=FEMALE_ID)
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.birth_date, person.gender) == (date(1970, 3, 3), "female")


def test_an_import_row_takes_the_birth_date_and_gender_of_its_id_number(client_for):
    client = client_for("station_staff")
    preview = client.post(
        reverse("cases:stay_import"),
        {"file": _upload(_row(性别="", 出生日期="", 身份证号码=FEMALE_ID))},
    )
    assert not preview.context["result"].errors
    client.post(reverse("cases:stay_import_confirm"), {"token": preview.context["token"]})
    person = Person.objects.get()
    assert (person.birth_date, person.gender) == (date(1970, 3, 3), "female")


def test_the_service_refuses_what_the_form_refuses(station):
    with pytest.raises(Exception) as caught:
        services.stay_register(
            station=station,
            acting_user=None,
            admitted_at=at(date(2024, 5, 1)),
            source="police",
            person_data={"name": "张三", "gender": "female", "id_number": MALE_ID},
        )
    assert "gender" in caught.value.message_dict
    assert not Person.objects.exists()


def test_a_departure_in_year_9999_is_refused_and_the_stay_stays_present(
    client_for, make_stay, station
):
    stay = make_stay(station, date(2024, 5, 1))
    response = client_for("station_staff").post(
        reverse("cases:stay_depart", args=[stay.pk]),
        {
            "left_at": "9999-12-31T23:59",
            "exit_type": "left_by_choice",
            "satisfaction": "satisfied",
            "version": stay.version,
        },
    )
    assert response.status_code == 200
    assert "晚于当前时间" in response.content.decode()
    stay.refresh_from_db()
    assert stay.left_at is None


def _ticket_form(station, **overrides):
    data = {
        "channel": "hotline",
        "received_at": "2024-05-01T10:00",
        "deadline": "2024-05-03T10:00",
        "summary": "火车站有人露宿",
    }
    data.update(overrides)
    return TicketForm(data, station=station)


@pytest.mark.parametrize(
    ("field", "value", "word"),
    [
        ("received_at", "0001-01-01T00:00", "1900"),  # happened
        ("received_at", "9999-12-31T23:59", "晚于当前时间"),
        ("deadline", "0001-01-01T00:00", "1900"),  # planned
        ("deadline", "9999-12-31T23:59", "年以后"),
        ("handled_at", "9999-12-31T23:59", "晚于当前时间"),
    ],
)
def test_the_ticket_form_refuses_the_edges_of_the_calendar(station, field, value, word):
    form = _ticket_form(station, **{field: value, "outcome": "已处置"})
    assert not form.is_valid()
    assert word in " ".join(form.errors[field])


def test_a_ticket_deadline_may_lie_a_year_ahead(station):
    ahead = (timezone.localtime() + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M")
    assert _ticket_form(station, received_at="2024-05-01T10:00", deadline=ahead).is_valid()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_the_safety_check_page_refuses_the_edges_of_the_calendar(client_for, value):
    response = client_for("station_staff").post(
        reverse("cases:safety_check_create"), {"checked_on": value, "item": "water"}
    )
    assert response.status_code == 200
    assert "checked_on" in response.context["form"].errors


def test_a_record_saved_before_a_rule_shows_it_and_its_next_edit_must_fix_it(
    client_for, make_stay, station
):
    # Saved before the rule: the database takes what the rules refuse.
    person = Person.objects.create(
        station=station,
        name="李四",
        gender="female",
        birth_date=date(1971, 1, 1),
        id_number=MALE_ID,
    )
    stay = make_stay(station, date(2024, 5, 1), person=person)
    client = client_for("station_staff")
    page = client.get(reverse("cases:stay_detail", args=[stay.pk])).content.decode()
    assert 'data-testid="plausibility-warning"' in page
    assert "1970-03-03" in page and "男性" in page
    url = reverse("cases:person_edit", args=[stay.pk])
    edit = {"name": "李四", "identified": "on", "id_number": MALE_ID, "version": person.version}
    refused = client.post(url, {**edit, "gender": "female", "birth_date": "1971-01-01"})
    assert refused.status_code == 200 and refused.context["form"].errors
    person.refresh_from_db()
    assert person.gender == "female"
    fixed = client.post(url, {**edit, "gender": "male", "birth_date": "1970-03-03"})
    assert fixed.status_code == 302
    page = client.get(reverse("cases:stay_detail", args=[stay.pk])).content.decode()
    assert 'data-testid="plausibility-warning"' not in page


def test_a_plausible_record_shows_no_warning(client_for, make_stay, station):
    stay = make_stay(station, date(2024, 5, 1))
    page = client_for("station_staff").get(reverse("cases:stay_detail", args=[stay.pk]))
    assert 'data-testid="plausibility-warning"' not in page.content.decode()
