"""The ledger import writes in bulk (``stays_register_many``): the records, history rows,
placeholder numbers, person matching, minor cases and metrics are those that ``stay_register``
gives one intake after another; a refused row saves nothing; numbers never overlap."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from cases import ledger, services
from cases.models import Person, PlaceholderCounter, Stay
from cases.signals import stays_registered
from minors.models import MinorCase
from rescue_station import registry
from rescue_station.spreadsheets import ImportResult
from rescue_station.validators import id_check_digit
from tests.factories import TZ


def _id(birth: date, male: bool, serial: int = 1) -> str:
    """A valid ID number agreeing with the birth date and sex (odd 17th digit: male)."""
    first17 = f"430203{birth:%Y%m%d}{serial:02d}{1 if male else 2}"
    return first17 + id_check_digit(first17)


ID_A = _id(date(1970, 3, 3), True)
ID_K1 = _id(date(1965, 1, 9), True, 2)
ID_K2 = _id(date(1980, 7, 1), False, 3)
ID_CHILD = _id(date(2010, 2, 2), True, 4)


def _intake(day: int, month: int = 3, year: int = 2024, **person) -> dict:
    return {
        "admitted_at": datetime(year, month, day, 9, 30, tzinfo=TZ),
        "source": "police",
        "identified": person.pop("identified", True),
        "person_data": {"gender": "unknown", **person},
        "brought_by": "火车站派出所",
        "reason": "务工未果",
        "temperature": Decimal("36.5"),
        "health_status": "good",
    }


def _mixed() -> list[dict]:
    """New and returning persons (known before, by ID number or by name, birth year and
    hometown; earlier in the file), unidentified persons in two years, minors."""
    return [
        _intake(1, name="张三", gender="male", id_number=ID_A),  # new
        _intake(2, identified=False, estimated_age=50),  # placeholder, after the one taken
        _intake(3, name="老王", gender="male", id_number=ID_K1, hometown="攸县"),  # known: ID
        _intake(4, name="张三", id_number=ID_A, birth_date=date(1970, 3, 3)),  # row 1, filled in
        # Known by name, birth year and hometown; the ID number given is filled in.
        _intake(5, name="李梅", birth_date=date(1980, 7, 1), hometown="醴陵", id_number=ID_K2),
        _intake(6, name="李梅", id_number=ID_K2, dialect="醴陵话"),  # now found by that number
        _intake(7, identified=False, estimated_age=15),  # a minor: a minor case opens
        _intake(8, name="小明", gender="male", id_number=ID_CHILD),  # a minor by the ID number
        _intake(9, name="赵六", hometown="茶陵"),  # no birth year: never matched by name
        _intake(10, name="赵六", hometown="茶陵"),  # so a second person
        _intake(11, name="李梅", birth_date=date(1985, 5, 5), hometown="醴陵"),  # another 李梅
        _intake(2, month=1, year=2025, identified=False),  # next year's numbers
    ]


def _known(station) -> None:
    """What the station knew before the file: three persons (two with one ID number), and a number given without the
    counter (an older record) that the import must step over."""
    Person.objects.create(station=station, name="老王", id_number=ID_K1)
    Person.objects.create(station=station, name="王老", id_number=ID_K1)  # later: not the one
    Person.objects.create(
        station=station, name="李梅", birth_date=date(1980, 7, 1), hometown="醴陵"
    )
    Person.objects.create(station=station, identified=False, placeholder_no="无名氏-2024-0003")


PERSON_STATE = ["name", "placeholder_no", "identified", "gender", "birth_date", "estimated_age"]
PERSON_STATE += ["id_number", "hometown", "dialect", "version"]
STAY_STATE = ["admitted_at", "admitted_on", "source", "is_minor", "is_special", "temperature"]
STAY_STATE += ["health_status", "registered_by_id", "version"]


def _state(station) -> dict:
    """Everything the import leaves in a station, without its primary keys."""
    persons = list(Person.objects.filter(station=station).order_by("pk"))
    index = {p.pk: i for i, p in enumerate(persons)}

    def history(record, fields):
        rows = record.history.order_by("history_date", "history_id")
        return [
            (
                r.history_type,
                r.history_user_id,
                r.history_change_reason,
                *(getattr(r, f) for f in fields),
            )
            for r in rows
        ]

    stays = Stay.objects.filter(station=station).order_by("pk")
    return {
        "persons": [
            ([getattr(p, f) for f in PERSON_STATE], history(p, PERSON_STATE)) for p in persons
        ],
        "stays": [
            (index[s.person_id], [getattr(s, f) for f in STAY_STATE], history(s, STAY_STATE))
            for s in stays
        ],
        "minor_cases": sorted(
            (c.stay.admitted_at, c.opened_by_id, c.reason, c.opened_on, history(c, ["version"]))
            for c in MinorCase.objects.filter(station=station)
        ),
        "metrics": registry.compute_all(station, date(2024, 1, 1), date(2025, 12, 31)),
    }


def test_the_bulk_import_leaves_what_one_intake_after_another_leaves(station, users):
    staff = users["station_staff"]
    _known(station)
    with transaction.atomic():  # the intakes one after another, as the import made them before
        for intake in _mixed():
            services.stay_register(station=station, acting_user=staff, **intake)
        one_by_one = _state(station)
        transaction.set_rollback(True)
    assert not Stay.objects.exists()
    stays = services.stays_register_many(station=station, acting_user=staff, intakes=_mixed())
    assert len(stays) == 12 and all(s.pk for s in stays)
    assert _state(station) == one_by_one
    # And what that is, spelled out.
    persons = {p.name or p.placeholder_no: p for p in Person.objects.filter(station=station)}
    assert sorted(p for p in persons if p.startswith("无名氏")) == [
        "无名氏-2024-0003",
        "无名氏-2024-0004",
        "无名氏-2024-0005",
        "无名氏-2025-0001",
    ]
    assert persons["张三"].birth_date == date(1970, 3, 3) and persons["张三"].version == 1
    assert persons["老王"].hometown == "攸县" and persons["老王"].version == 1
    assert persons["王老"].version == 0
    li = Person.objects.get(station=station, name="李梅", birth_date=date(1980, 7, 1))
    assert li.id_number == ID_K2 and li.dialect == "醴陵话" and li.version == 2
    assert Person.objects.filter(station=station, name="李梅").count() == 2
    assert Person.objects.filter(station=station, name="赵六").count() == 2
    history = list(persons["张三"].history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.version, h.birth_date) for h in history] == [
        ("+", 0, date(1970, 3, 3)),  # from the ID number, on the first row already
        ("~", 1, date(1970, 3, 3)),
    ]
    assert {h.history_user for h in history} == {staff}
    assert all(s.history.get().history_user == staff for s in stays)
    minors = MinorCase.objects.filter(station=station)
    assert sorted(c.stay.admitted_on.day for c in minors) == [7, 8]
    counters = PlaceholderCounter.objects.filter(station=station).order_by("year")
    assert [(c.year, c.last) for c in counters] == [(2024, 5), (2025, 1)]


def test_a_refused_row_saves_nothing_and_is_named(station, users):
    rows = _mixed()
    rows[4]["temperature"] = Decimal("50.0")  # past the model's validator
    result = ImportResult(rows=[ledger.LedgerRow(row=n + 2, **r) for n, r in enumerate(rows)])
    with pytest.raises(ledger.ImportFailed) as failed:
        ledger.import_rows(station=station, acting_user=users["station_staff"], result=result)
    errors = failed.value.result.errors
    # 50 °C is past the validator, and a fever with health "good" needs a note: both on row 6.
    assert {e.row for e in errors} == {6} and "temperature" in {e.column for e in errors}
    assert not Person.objects.exists() and not Stay.objects.exists()
    assert not Person.history.exists() and not Stay.history.exists()
    assert not MinorCase.objects.exists() and not PlaceholderCounter.objects.exists()


def test_two_imports_in_a_row_get_consecutive_numbers(station, users):
    staff = users["station_staff"]
    unknown = [_intake(day, identified=False) for day in (1, 2, 3)]
    first = services.stays_register_many(station=station, acting_user=staff, intakes=unknown)
    between = services.stay_register(
        station=station, acting_user=staff, **_intake(4, identified=False)
    )
    second = services.stays_register_many(station=station, acting_user=staff, intakes=unknown[:2])
    numbers = [s.person.placeholder_no for s in [*first, between, *second]]
    assert numbers == [f"无名氏-2024-{n:04d}" for n in range(1, 7)]


def test_the_database_still_refuses_a_number_twice_in_a_bulk_import(station, users, monkeypatch):
    Person.objects.create(station=station, identified=False, placeholder_no="无名氏-2024-0001")
    # Were the counter ever to hand out a number taken: the constraint, not luck, stops it.
    monkeypatch.setattr(
        services, "placeholders_reserve", lambda **kw: ["无名氏-2024-0001"] * kw["count"]
    )
    with pytest.raises(IntegrityError):
        services.stays_register_many(
            station=station,
            acting_user=users["station_staff"],
            intakes=[_intake(1, identified=False)],
        )
    assert Person.objects.count() == 1 and not Stay.objects.exists()


def test_the_queries_do_not_grow_with_the_rows(station, users):
    """Lookups and writes go by batches: 20 more rows cost a few more INSERTs at most."""

    def queries(count: int) -> int:
        intakes = [
            _intake(1 + n % 28, name=f"张{n}", id_number=_id(date(1970, 1, 1), True, n))
            if n % 2
            else _intake(1 + n % 28, identified=False)
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            services.stays_register_many(
                station=station, acting_user=users["station_staff"], intakes=intakes
            )
        return len(captured)

    queries(5)  # the year's counter is made once
    # One query per batch, not per row: one intake after another took some 8 per row.
    assert queries(40) - queries(20) <= 6


def test_it_sends_one_batch_event_inside_the_transaction(station, users):
    calls = []

    def receiver(sender, *, stays, acting_user, **kwargs):
        calls.append(([s.pk for s in stays], acting_user, connection.in_atomic_block))

    stays_registered.connect(receiver)
    try:
        stays = services.stays_register_many(
            station=station, acting_user=users["station_staff"], intakes=_mixed()[:3]
        )
    finally:
        stays_registered.disconnect(receiver)
    assert calls == [([s.pk for s in stays], users["station_staff"], True)]


def test_a_returning_person_filled_in_by_a_valid_row_is_checked_again(station, users):
    """The row is valid alone (so the import does not clean it again), but the ID number it
    fills into the returning person's record gives another birth date than the record's."""
    Person.objects.create(
        station=station, name="李四", gender="female", birth_date=date(1980, 7, 1), hometown="醴陵"
    )
    cells = {
        "入站时间": "2024-03-05 09:30",
        "姓名": "李四",
        "性别": "女",
        "出生日期": "1980-07-02",
        "身份证号码": _id(date(1980, 7, 2), False, 5),
        "籍贯": "醴陵",
        "来源": "公安护送",
    }
    result = ledger.validate([(2, cells)])
    assert result.ok and result.rows[0].cleaned
    with pytest.raises(ledger.ImportFailed) as failed:
        ledger.import_rows(station=station, acting_user=users["station_staff"], result=result)
    assert {(e.row, e.column) for e in failed.value.result.errors} == {(2, "birth_date")}
    assert not Stay.objects.exists() and Person.objects.get().id_number == ""
