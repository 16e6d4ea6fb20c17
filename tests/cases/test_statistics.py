"""The station's statistics (cases.statistics): every table splits the metrics' intakes and
person-days exactly, on hand-made stays crossing the period's edges and on the demo's 2024."""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cases import selectors
from cases.models import Person, StreetPatrol, TracingEffort
from cases.statistics import (
    PeriodError,
    months_of,
    station_statistics,
    statistics_period,
)
from demo import cases as demo
from demo.stations import demo_users
from rescue_station import registry

MARCH = (date(2024, 3, 1), date(2024, 3, 31))
TODAY = date(2024, 4, 10)
KEYS = [
    "by_sex",
    "by_age",
    "by_health",
    "by_source",
    "by_province",
    "by_exit_type",
    "special_groups",
    "by_month",
]


def person(station, **fields) -> Person:
    fields.setdefault("name", "张三")
    return Person.objects.create(station=station, **fields)


@pytest.fixture
def march(station, other_station, make_stay, freeze_today):
    """Stays around March 2024, seen on 10 April 2024."""
    freeze_today(TODAY)
    s = station
    made = {
        # Crosses the start: the nights of 1–4 March count (4), admitted in February.
        "a": make_stay(
            s,
            date(2024, 2, 25),
            date(2024, 3, 5),
            person=person(
                s, gender="male", birth_date=date(1980, 5, 1), id_number="430202198005010017"
            ),
            source="police",
        ),
        # Crosses the end: 28–31 March (4 nights); left in April, so not departed on 31 March.
        "b": make_stay(
            s,
            date(2024, 3, 28),
            date(2024, 4, 3),
            person=person(
                s, gender="female", birth_date=date(2010, 6, 1), hometown="江西省萍乡市安源区"
            ),
            is_minor=True,
            exit_type="family_pickup",
        ),
        # A same-day stay: 1 day; an unidentified old man by his estimated age.
        "c": make_stay(
            s,
            date(2024, 3, 10),
            date(2024, 3, 10),
            person=person(
                s, name="", identified=False, placeholder_no="无名氏-1", estimated_age=70
            ),
            exit_type="handed_to_police",
        ),
        # Still in the station: 20–31 March (12 nights); 74 at intake, mentally ill.
        "d": make_stay(
            s,
            date(2024, 3, 20),
            person=person(s, gender="male", birth_date=date(1950, 1, 1), hometown="株洲"),
            health_status="mental_illness",
            source="street_patrol",
        ),
        # Spans the whole month: 31 nights.
        "g": make_stay(
            s,
            date(2024, 2, 1),
            date(2024, 5, 1),
            person=person(s, gender="male"),
            health_status="disability",
            exit_type="escorted_home",
        ),
        # Neither counted: a refused request, a stay of January, another station's stay.
        "refused": make_stay(
            s,
            date(2024, 3, 12),
            date(2024, 3, 12),
            exit_type="help_refused",
            refusal_reason="拒不提供真实信息",
        ),
        "january": make_stay(s, date(2024, 1, 3), date(2024, 1, 6)),
        "other": make_stay(other_station, date(2024, 3, 3), date(2024, 3, 9)),
    }
    StreetPatrol.objects.create(
        station=s, patrol_date=date(2024, 3, 15), area="火车站", persons_met=5, helped_in_place=3
    )
    TracingEffort.objects.create(
        stay=made["c"], method="police", done_on=date(2024, 3, 11), result="success"
    )
    return made


def metric(station, key, start, end) -> int:
    return int(registry.compute(key, station, start, end))


def table(stats, key):
    return next(t for t in stats.tables if t.key == key)


def rows(stats, key) -> dict[str, tuple[int, int]]:
    return {str(r.value): (r.intakes, r.person_days) for r in table(stats, key).rows}


def test_it_has_every_table_in_order(station, march):
    stats = station_statistics(station, *MARCH)
    assert [t.key for t in stats.tables] == KEYS


def test_every_total_is_the_metrics_and_every_table_but_the_groups_adds_up(station, march):
    stats = station_statistics(station, *MARCH)
    intakes = metric(station, "cases.intakes", *MARCH)
    days = metric(station, "cases.person_days", *MARCH)
    assert (intakes, days) == (3, 4 + 4 + 1 + 12 + 31)
    for t in stats.tables:
        assert (t.intakes, t.person_days) == (intakes, days), t.key
        if t.key != "special_groups":
            assert sum(r.intakes for r in t.rows) == intakes, t.key
            assert sum(r.person_days for r in t.rows) == days, t.key


def test_it_splits_by_the_stays_own_values(station, march):
    stats = station_statistics(station, *MARCH)
    assert rows(stats, "by_sex") == {"male": (1, 4 + 12 + 31), "female": (1, 4), "unknown": (1, 1)}
    assert rows(stats, "by_age") == {
        "under_18": (1, 4),
        "18_59": (0, 4),
        "60_plus": (2, 1 + 12),  # 70 by the estimate, 74 by the birth date
        "unknown": (0, 31),  # no birth date nor estimate: the stay of February
    }
    assert rows(stats, "by_health")["mental_illness"] == (1, 12)
    assert rows(stats, "by_health")["disability"] == (0, 31)
    assert rows(stats, "by_source")["police"] == (0, 4)
    assert rows(stats, "by_source")["street_patrol"] == (1, 12)


def test_the_province_comes_from_the_id_number_else_the_hometown(station, march):
    stats = station_statistics(station, *MARCH)
    labels = {r.value: r.label for r in table(stats, "by_province").rows}
    assert rows(stats, "by_province") == {
        "43": (0, 4),  # the ID number's 43 (湖南)
        "36": (1, 4),  # 江西 from the hometown, no ID number
        "unknown": (2, 1 + 12 + 31),  # "株洲" names no province
    }
    assert labels["43"] == "湖南" and labels["36"] == "江西"


def test_the_departure_type_is_the_one_of_the_periods_end(station, march):
    stats = station_statistics(station, *MARCH)
    exits = rows(stats, "by_exit_type")
    assert exits["not_departed"] == (2, 4 + 12 + 31)  # b left in April, d is still here, g in May
    assert exits["left_by_choice"] == (0, 4)
    assert exits["handed_to_police"] == (1, 1)
    assert "help_refused" not in exits
    labels = [r.label for r in table(stats, "by_exit_type").rows]
    assert "期末尚未离站" in labels


def test_the_special_groups_overlap(station, march):
    stats = station_statistics(station, *MARCH)
    groups = rows(stats, "special_groups")
    assert groups == {
        "minors": (1, 4),
        "elderly": (2, 13),
        "disability": (0, 31),
        "mental_illness": (1, 12),
        "unidentified": (1, 1),
    }
    assert not table(stats, "special_groups").splits


def test_by_month_counts_intakes_where_they_began_and_nights_where_they_fall(station, march):
    start, end = date(2024, 2, 15), date(2024, 4, 5)
    stats = station_statistics(station, start, end)
    months = rows(stats, "by_month")
    assert list(months) == ["2024-02-15", "2024-03-01", "2024-04-01"]
    assert months["2024-03-01"] == (3, 52)  # the whole of March, as above
    assert months["2024-02-15"][0] == 1  # a, admitted 25 February (g began on 1 February)
    for key in ("cases.intakes", "cases.person_days"):
        assert sum(
            r.intakes if key == "cases.intakes" else r.person_days
            for r in table(stats, "by_month").rows
        ) == metric(station, key, start, end)


def test_a_29_february_birthday_comes_of_age_on_1_march(station, make_stay, freeze_today):
    freeze_today(TODAY)
    born = date(2004, 2, 29)
    make_stay(
        station, date(2022, 2, 28), date(2022, 2, 28), person=person(station, birth_date=born)
    )
    make_stay(station, date(2022, 3, 1), date(2022, 3, 1), person=person(station, birth_date=born))
    stats = station_statistics(station, date(2022, 1, 1), date(2022, 12, 31))
    assert rows(stats, "by_age")["under_18"] == (1, 1)
    assert rows(stats, "by_age")["18_59"] == (1, 1)


def test_the_figures_are_their_metrics(station, march):
    stats = station_statistics(station, *MARCH)
    figures = {f.key: f.value for f in stats.figures}
    assert figures == {
        key: metric(station, key, *MARCH)
        for key in (
            "cases.escorted_home",
            "cases.tracing_successes",
            "cases.street_patrols",
            "cases.street_persons_assisted",
        )
    }
    assert figures["cases.street_persons_assisted"] == 3
    assert figures["cases.tracing_successes"] == 1


def test_the_stay_list_narrowed_to_a_row_lists_the_rows_stays(station, march, users):
    """Item 5: each number links to the stay list of the period and row; the list holds them."""
    stats = station_statistics(station, *MARCH)
    user = users["supervisor"]
    period = {"start": MARCH[0], "end": MARCH[1]}
    for t in stats.tables:
        if t.key == "by_month":
            continue
        for r in t.rows:
            row = f"{t.key}:{r.value}"
            listed = selectors.stays_filtered(
                user, station, {**period, "counted": "intakes", "row": row}
            )
            stayed = selectors.stays_filtered(
                user, station, {**period, "counted": "stayed", "row": row}
            )
            assert listed.count() == r.intakes, row
            assert sum(nights_in(s, *MARCH) for s in stayed) == r.person_days, row


def nights_in(stay, start: date, end: date) -> int:
    """DESIGN.md's person-days rule for one stay, in Python."""
    left = stay.left_on or TODAY
    if left == stay.admitted_on:
        return 1 if start <= stay.admitted_on <= end else 0
    return max(0, (min(left, end + timedelta(days=1)) - max(stay.admitted_on, start)).days)


def test_the_period_is_checked():
    assert statistics_period(2024) == (date(2024, 1, 1), date(2024, 12, 31))
    with pytest.raises(PeriodError, match="截止日期不能早于起始日期"):
        statistics_period(None, date(2024, 3, 2), date(2024, 3, 1))
    with pytest.raises(PeriodError):
        statistics_period(2024, date(2024, 1, 1), date(2024, 2, 1))
    with pytest.raises(PeriodError):
        statistics_period(None, date(2010, 1, 1), date(2024, 1, 1))
    with pytest.raises(PeriodError):
        statistics_period(1800)
    assert months_of(date(2024, 1, 31), date(2024, 2, 1)) == [
        (date(2024, 1, 31), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 1)),
    ]


# ------------------------------------------------------------------------- the command


def run(*args: str) -> str:
    out = StringIO()
    call_command("statistics_report", "--station", "zhuzhou", *args, stdout=out)
    return out.getvalue()


def test_the_json_has_the_agreed_shape(station, march):
    data = json.loads(run("--start", "2024-03-01", "--end", "2024-03-31", "--format", "json"))
    assert set(data) == {"station", "start", "end", "tables", "figures"}
    assert (data["station"], data["start"], data["end"]) == ("zhuzhou", "2024-03-01", "2024-03-31")
    assert [t["key"] for t in data["tables"]] == KEYS
    for t in data["tables"]:
        assert set(t) == {"key", "title", "rows", "total"}
        assert t["total"] == {"intakes": 3, "person_days": 52}
        for r in t["rows"]:
            assert set(r) == {"label", "intakes", "person_days"}
            assert isinstance(r["intakes"], int) and isinstance(r["person_days"], int)
    assert data["figures"]["cases.street_patrols"] == 1
    assert data["tables"][0]["title"] == "按性别分"


def test_the_command_refuses_a_wrong_period(station):
    with pytest.raises(CommandError, match="截止日期不能早于起始日期"):
        run("--start", "2024-03-02", "--end", "2024-03-01")
    with pytest.raises(CommandError):
        run("--year", "2024", "--start", "2024-03-01", "--end", "2024-03-31")
    with pytest.raises(CommandError):
        call_command("statistics_report", "--station", "nowhere", "--year", "2024")


def test_the_xlsx_opens_and_its_totals_are_the_metrics(station, march, tmp_path):
    path = tmp_path / "s.xlsx"
    run(
        "--start",
        "2024-03-01",
        "--end",
        "2024-03-31",
        "--format",
        "xlsx",
        "--output",
        str(path),
        "--filled-by",
        "李四",
    )
    sheet = load_workbook(BytesIO(path.read_bytes())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "株洲市救助管理站救助管理工作统计表"
    assert values[1][0] == "统计期间：2024年03月01日至2024年03月31日"
    assert values[2][2] == "计量单位：人次、人天"
    totals = [row[1:] for row in values if row[0] in ("合计", "救助人员总数")]
    assert totals == [(3, 52)] * 8
    assert any(row[1] == "填报人：李四" for row in values)
    assert sheet.print_title_rows == "$4:$4"


def test_the_pdf_holds_the_titles(station, march, tmp_path):
    path = tmp_path / "s.pdf"
    run("--year", "2024", "--format", "pdf", "--output", str(path))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for title in (
        "株洲市救助管理站救助管理工作统计表",
        "按性别分",
        "按年龄段分",
        "按入站健康状况分",
        "按求助来源分",
        "按户籍（来源）省份分",
        "按离站方式分",
        "特殊群体",
        "按月份分",
        "其他工作量",
        "填报人",
    ):
        assert title in text, title


# ------------------------------------------------------------------------- the demo's 2024

DEMO_TODAY = date(2026, 11, 26)


def test_the_demo_2024_totals_are_the_seeds(station, freeze_today):
    freeze_today(DEMO_TODAY)
    demo.load(station=station, users=demo_users(station), today=DEMO_TODAY)
    stats = station_statistics(station, date(2024, 1, 1), date(2024, 12, 31))
    for t in stats.tables:
        assert (t.intakes, t.person_days) == (1826, 5577), t.key
        if t.splits:
            assert sum(r.intakes for r in t.rows) == 1826, t.key
            assert sum(r.person_days for r in t.rows) == 5577, t.key
    assert rows(stats, "by_age")["under_18"][0] == 58  # the seed's minors
    figures = {f.key: f.value for f in stats.figures}
    assert figures == {
        "cases.escorted_home": 107,
        "cases.tracing_successes": 17,
        "cases.street_patrols": 156,
        "cases.street_persons_assisted": 780,
    }


def test_it_is_a_fixed_number_of_queries(station, march, django_assert_max_num_queries):
    """One grouped query a table, one for the months, one a metric group of the figures."""
    with django_assert_max_num_queries(11):
        station_statistics(station, date(2024, 1, 1), date(2024, 12, 31))
