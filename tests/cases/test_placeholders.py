"""Placeholder numbers (无名氏-YYYY-NNNN): one per unidentified person of a station, given in turn
even to two intakes at once, and refused twice by the database."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from cases import services
from cases.models import Person
from tests.factories import TZ


def _unknown(station, user, year: int = 2024) -> str:
    stay = services.stay_register(
        station=station,
        acting_user=user,
        admitted_at=datetime(year, 5, 1, 10, tzinfo=TZ),
        source="police",
        identified=False,
        person_data={"gender": "male"},
    )
    return stay.person.placeholder_no


def test_numbers_run_on_per_station_and_year(station, other_station, users):
    staff = users["station_staff"]
    assert [_unknown(station, staff) for _ in range(3)] == [
        "无名氏-2024-0001",
        "无名氏-2024-0002",
        "无名氏-2024-0003",
    ]
    assert _unknown(other_station, staff) == "无名氏-2024-0001"
    assert _unknown(station, staff, year=2025) == "无名氏-2025-0001"


def test_a_number_given_without_the_counter_is_stepped_over(station, users):
    # Records from before the counter, or the demo's, which writes its numbers itself.
    Person.objects.create(station=station, identified=False, placeholder_no="无名氏-2024-0007")
    assert _unknown(station, users["station_staff"]) == "无名氏-2024-0008"


def test_the_database_refuses_a_number_twice_in_a_station(station, other_station):
    Person.objects.create(station=station, identified=False, placeholder_no="无名氏-2024-0001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(station=station, identified=False, placeholder_no="无名氏-2024-0001")
    # Another station has its own numbers; persons without a number are not concerned.
    Person.objects.create(station=other_station, placeholder_no="无名氏-2024-0001")
    Person.objects.create(station=station, name="张三")
    Person.objects.create(station=station, name="李四")
    # A save through a service says so in words before the database has to.
    with pytest.raises(ValidationError, match="该临时编号已分配给本站另一名人员"):
        Person(station=station, identified=False, placeholder_no="无名氏-2024-0001").full_clean()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads with their own connections")
def test_an_intake_at_the_same_moment_waits_and_gets_the_next_number(station, users):
    staff = users["station_staff"]
    first_numbered, release = threading.Event(), threading.Event()
    numbers: dict[str, str] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                numbers["first"] = _unknown(station, staff)
                first_numbered.set()
                release.wait(10)  # still uncommitted while the second intake asks
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_numbered.wait(10)
            threading.Timer(0.5, release.set).start()
            numbers["second"] = _unknown(station, staff)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert numbers == {"first": "无名氏-2024-0001", "second": "无名氏-2024-0002"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads with their own connections")
def test_eight_clerks_at_once_give_eight_numbers(station, users):
    staff = users["station_staff"]
    start = threading.Barrier(8)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            for _ in range(3):
                numbers.append(_unknown(station, staff))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(numbers) == [f"无名氏-2024-{n:04d}" for n in range(1, 25)]


BEFORE = [("cases", "0006_record_versions")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_renumbers_a_number_held_twice_and_records_it(station, other_station):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # back to before the constraint: duplicates could be written
    old = executor.loader.project_state(BEFORE).apps.get_model("cases", "Person")
    first = old.objects.create(station_id=station.pk, placeholder_no="无名氏-2024-0001")
    second = old.objects.create(station_id=station.pk, placeholder_no="无名氏-2024-0001")
    third = old.objects.create(station_id=station.pk, placeholder_no="无名氏-2024-0002")
    elsewhere = old.objects.create(station_id=other_station.pk, placeholder_no="无名氏-2024-0001")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    numbers = dict(Person.objects.values_list("pk", "placeholder_no"))
    assert numbers == {
        first.pk: "无名氏-2024-0001",  # the first registered keeps it
        second.pk: "无名氏-2024-0003",  # the next free number of the year
        third.pk: "无名氏-2024-0002",
        elsewhere.pk: "无名氏-2024-0001",  # another station's numbers are its own
    }
    row = Person.objects.get(pk=second.pk).history.get()
    assert (row.placeholder_no, row.history_change_reason) == (
        "无名氏-2024-0003",
        "placeholder renumbered",
    )
