from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.models import BelongingsItem, Escort, ExtensionStatus, Person, Stay
from cases.signals import stay_registered
from rescue_station.validators import id_check_digit
from tests.factories import TZ


def id_for(birth: date, region: str = "430203", seq: str = "123") -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq}"
    return first17 + id_check_digit(first17)


def register(station, user, **kw):
    kw.setdefault("admitted_at", datetime(2024, 5, 1, 23, 30, tzinfo=TZ))
    kw.setdefault("source", "self")
    return services.stay_register(station=station, acting_user=user, **kw)


def test_it_sets_the_local_admission_date(station, users):
    # 2024-05-01 23:30 in Shanghai is 15:30 UTC: the local date is the one that counts.
    stay = register(station, users["station_staff"], person_data={"name": "李四"})
    assert stay.admitted_on == date(2024, 5, 1)
    assert stay.registered_by == users["station_staff"]
    assert stay.history.first().history_user == users["station_staff"]


@pytest.mark.parametrize(
    ("birth", "minor"),
    [
        (date(2006, 5, 2), True),  # 17 years 364 days on 2024-05-01
        (date(2006, 5, 1), False),  # 18 exactly
        (date(2010, 1, 1), True),
    ],
)
def test_it_marks_a_minor_from_the_birth_date(station, users, birth, minor):
    stay = register(
        station, users["station_staff"], person_data={"name": "小明", "birth_date": birth}
    )
    assert stay.is_minor is minor


def test_it_takes_the_birth_date_from_the_id_number(station, users):
    stay = register(
        station,
        users["station_staff"],
        person_data={"name": "小红", "id_number": id_for(date(2006, 5, 2))},
    )
    assert stay.is_minor is True


def test_it_sends_stay_registered_inside_the_transaction(station, users):
    seen = []

    def receiver(sender, stay, acting_user, **kwargs):
        seen.append((sender, stay.pk, acting_user))

    stay_registered.connect(receiver)
    try:
        stay = register(station, users["station_staff"], person_data={"name": "王五"})
    finally:
        stay_registered.disconnect(receiver)
    assert seen == [(Stay, stay.pk, users["station_staff"])]


def test_it_reuses_the_person_with_the_same_id_number(station, users):
    number = id_for(date(1970, 3, 3))
    first = register(
        station, users["station_staff"], person_data={"name": "赵六", "id_number": number}
    )
    second = register(
        station,
        users["station_staff"],
        person_data={"name": "赵六", "id_number": number.lower()},
        admitted_at=datetime(2024, 6, 1, 9, tzinfo=TZ),
    )
    assert second.person == first.person
    assert Person.objects.count() == 1


def test_it_reuses_the_person_with_the_same_name_birth_year_and_hometown(station, users):
    data = {"name": "钱七", "birth_date": date(1980, 1, 1), "hometown": "湖南攸县"}
    first = register(station, users["station_staff"], person_data=data)
    second = register(
        station, users["station_staff"], person_data={**data, "birth_date": date(1980, 7, 7)}
    )
    third = register(station, users["station_staff"], person_data={**data, "hometown": "江西萍乡"})
    assert second.person == first.person
    assert third.person != first.person


def test_it_gives_an_unidentified_person_a_placeholder_number(station, users):
    a = register(
        station, users["station_staff"], identified=False, person_data={"name": "火车站男子"}
    )
    b = register(station, users["station_staff"], identified=False)
    assert a.person.placeholder_no == "无名氏-2024-0001"
    assert b.person.placeholder_no == "无名氏-2024-0002"
    assert a.is_special and b.is_special
    assert a.person != b.person


def test_it_refuses_a_wrong_id_check_digit_and_saves_nothing(station, users):
    number = id_for(date(1970, 3, 3))
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        register(station, users["station_staff"], person_data={"name": "孙八", "id_number": wrong})
    assert "id_number" in error.value.message_dict
    assert not Person.objects.exists() and not Stay.objects.exists()


def test_departure_before_admission_is_refused(station, users):
    stay = register(station, users["station_staff"], person_data={"name": "周九"})
    with pytest.raises(ValidationError):
        services.stay_depart(
            stay=stay,
            acting_user=users["station_staff"],
            left_at=stay.admitted_at - timedelta(hours=1),
            exit_type="left_by_choice",
        )
    stay.refresh_from_db()
    assert stay.left_at is None


def test_departure_needs_belongings_settled(station, users):
    user = users["station_staff"]
    stay = register(station, user, person_data={"name": "吴十"})
    services.belongings_add(stay=stay, acting_user=user, description="手机")
    left_at = stay.admitted_at + timedelta(days=2)
    with pytest.raises(ValidationError):
        services.stay_depart(
            stay=stay, acting_user=user, left_at=left_at, exit_type="left_by_choice"
        )
    services.stay_depart(
        stay=stay,
        acting_user=user,
        left_at=left_at,
        exit_type="left_by_choice",
        return_belongings=True,
        satisfaction="satisfied",
    )
    assert BelongingsItem.objects.get().returned
    stay.refresh_from_db()
    assert stay.left_on == date(2024, 5, 3)


def test_an_escorted_departure_records_its_trip_and_refuses_a_negative_cost(station, users):
    user = users["station_staff"]
    stay = register(station, user, person_data={"name": "郑一"})
    trip = services.EscortData(
        trip_date=date(2024, 5, 3),
        escorts="李业务、王司机",
        destination="江西萍乡",
        transport="car",
        cost=Decimal("-1"),
    )
    with pytest.raises(ValidationError):
        services.stay_depart(
            stay=stay,
            acting_user=user,
            left_at=stay.admitted_at + timedelta(days=2),
            exit_type="escorted_home",
            escort=trip,
        )
    stay.refresh_from_db()
    assert stay.left_at is None and not Escort.objects.exists()
    services.stay_depart(
        stay=stay,
        acting_user=user,
        left_at=stay.admitted_at + timedelta(days=2),
        exit_type="escorted_home",
        escort=services.EscortData(**{**trip.__dict__, "cost": Decimal("320.50")}),
    )
    assert Escort.objects.get().cost == Decimal("320.50")


def test_only_a_supervisor_decides_an_extension(station, users):
    stay = register(station, users["station_staff"], person_data={"name": "冯二"})
    ext = services.extension_request(
        stay=stay, acting_user=users["station_staff"], days=5, reason="待接领"
    )
    with pytest.raises(ValidationError):
        services.extension_decide(extension=ext, acting_user=users["station_staff"], approve=True)
    services.extension_decide(extension=ext, acting_user=users["supervisor"], approve=True)
    ext.refresh_from_db()
    assert ext.status == ExtensionStatus.APPROVED and ext.decided_by == users["supervisor"]
    assert stay.approved_extension_days() == 5
    assert not stay.is_over_limit(stay.admitted_on + timedelta(days=15))
    assert stay.is_over_limit(stay.admitted_on + timedelta(days=16))


def test_a_tracing_success_names_the_family(station, users):
    stay = register(station, users["station_staff"], identified=False)
    with pytest.raises(ValidationError):
        services.tracing_add(
            stay=stay,
            acting_user=users["station_staff"],
            method="dna",
            done_on=date(2024, 5, 2),
            result="success",
        )


@pytest.mark.parametrize(
    ("data", "health", "allowed"),
    [
        ({"name": "小华", "birth_date": date(2008, 5, 4)}, "good", False),  # 15 on 2024-05-03
        ({"name": "小华", "birth_date": date(2008, 5, 3)}, "good", True),  # 16 that day
        ({"name": "老李", "birth_date": date(1960, 1, 1)}, "mental_illness", False),
        ({"name": "老李", "birth_date": date(1960, 1, 1)}, "disability", False),
    ],
)
def test_only_those_16_or_older_without_a_disability_leave_by_choice(
    station, users, data, health, allowed
):
    user = users["station_staff"]
    stay = register(station, user, person_data=data, health_status=health)
    left_at = datetime(2024, 5, 3, 9, tzinfo=TZ)
    if allowed:
        services.stay_depart(
            stay=stay, acting_user=user, left_at=left_at, exit_type="left_by_choice"
        )
        return
    with pytest.raises(ValidationError) as error:
        services.stay_depart(
            stay=stay, acting_user=user, left_at=left_at, exit_type="left_by_choice"
        )
    assert "exit_type" in error.value.message_dict
    services.stay_depart(stay=stay, acting_user=user, left_at=left_at, exit_type="family_pickup")
