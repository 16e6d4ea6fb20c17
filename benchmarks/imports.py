"""The intake ledger import at a realistic size: a 10,000-row file previewed, then committed.

The file is made here (deterministic): valid rows, a mix of named persons with and without an
ID number, unidentified persons (placeholder numbers), minors, and returning persons, some known
to the station before the import and some repeated within the file. The import station keeps
its persons between runs; each commit is rolled back, so the figures do not drift run to run.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from io import BytesIO

from django.db import transaction
from django.test.utils import override_settings
from openpyxl import Workbook

from cases import ledger
from cases.models import Gender, Person
from rescue_station.models import Station, User
from rescue_station.spreadsheets import read_sheet
from rescue_station.validators import id_check_digit

KNOWN_PERSONS = 2000


def id_number(birth: date, serial: int, gender: str) -> str:
    """A valid ID number (GB 11643) agreeing with the birth date and sex given."""
    sex_digit = serial % 10 // 2 * 2 + (1 if gender == Gender.MALE else 0)
    first17 = f"430203{birth:%Y%m%d}{serial // 10 % 100:02d}{sex_digit}"
    return first17 + id_check_digit(first17)


def _person(rng: random.Random, serial: int) -> dict:
    gender = rng.choice([Gender.MALE, Gender.FEMALE])
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(50 * 365))
    return {
        "name": f"导入{serial}",
        "gender": gender,
        "birth": birth,
        "id_number": id_number(birth, serial, gender),
        "hometown": rng.choice(["湖南省株洲市攸县", "湖南省长沙市", "江西省萍乡市"]),
    }


def import_station() -> tuple[Station, list[dict]]:
    """The station the file is imported into, with persons known from earlier years."""
    station, _ = Station.objects.get_or_create(
        code="bench-import",
        defaults={"name": "导入基准救助站", "region_code": "439901", "region_name": "基准"},
    )
    rng = random.Random(7)
    known = [_person(rng, serial) for serial in range(KNOWN_PERSONS)]
    if not Person.objects.filter(station=station).exists():
        Person.objects.bulk_create(
            Person(
                station=station,
                name=p["name"],
                gender=p["gender"],
                birth_date=p["birth"],
                id_number=p["id_number"],
                hometown=p["hometown"],
            )
            for p in known
        )
    return station, known


GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}


def ledger_file(rows: int, known: list[dict]) -> bytes:
    """An xlsx ledger of ``rows`` valid rows (see the module's docstring for the mix)."""
    rng = random.Random(11)
    # Not write_only: the sheet then states its size up front, as a file saved by Excel or WPS
    # does (openpyxl reads a sheet without it twice).
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(ledger.COLUMNS)
    repeated: list[dict] = []
    for number in range(rows):
        admitted = f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d} 10:30"
        kind = rng.random()
        if kind < 0.15:  # unidentified: a placeholder number; some of them minors
            age = rng.choice(["45", "60", "15"])
            person_cells = ["", "是", "未知", "", age, "", "", "城管护送", "", "街头露宿"]
        else:
            if kind < 0.25:
                person = rng.choice(known)  # known to the station before this file
            elif kind < 0.32 and repeated:
                person = rng.choice(repeated)  # earlier in this file
            else:
                person = _person(rng, 10000 + number)
                if rng.random() < 0.2:
                    person["id_number"] = ""  # named, no ID number
                repeated.append(person)
            person_cells = [
                person["name"],
                "否",
                GENDER_LABELS[person["gender"]],
                f"{person['birth']:%Y-%m-%d}",
                "",
                person["id_number"],
                person["hometown"],
                "公安护送",
                "火车站派出所",
                "务工未果",
            ]
        sheet.append([admitted, *person_cells, "36.6", "良好"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure(rows: int = 10000) -> dict[str, float]:
    """Seconds to preview (read and validate) and to commit (read, validate, write) the file,
    with DEBUG off as in production (``make bench`` runs with DEBUG on, which logs every query)."""
    with override_settings(DEBUG=False):
        return _measure(rows)


def _measure(rows: int) -> dict[str, float]:
    station, known = import_station()
    data = ledger_file(rows, known)
    user, _ = User.objects.get_or_create(username="bench_importer", defaults={"role": "staff"})
    start = time.perf_counter()
    result = ledger.validate(read_sheet(data, ledger.COLUMNS))
    preview = time.perf_counter() - start
    assert result.ok and len(result.rows) == rows, result.errors[:5]
    with transaction.atomic():
        start = time.perf_counter()
        result = ledger.validate(read_sheet(data, ledger.COLUMNS))
        stays = ledger.import_rows(station=station, acting_user=user, result=result)
        commit = time.perf_counter() - start
        assert len(stays) == rows
        transaction.set_rollback(True)  # the next run imports into the same station
    return {f"import_{rows}_preview_seconds": preview, f"import_{rows}_commit_seconds": commit}
