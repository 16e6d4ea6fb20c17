from datetime import date

import pytest

from rescue_station import registry

KEY = "cases.person_days"


def pd(station, start: date, end: date) -> int:
    return int(registry.compute(KEY, station, start, end))


@pytest.mark.parametrize(
    ("admitted", "left", "expected"),
    [
        (date(2024, 3, 10), date(2024, 3, 13), 3),  # inside: 3 nights
        (date(2024, 3, 10), date(2024, 3, 10), 1),  # same day counts 1
        (date(2023, 12, 30), date(2024, 1, 3), 2),  # crosses the start: nights of 1 and 2 Jan
        (date(2024, 12, 30), date(2025, 1, 4), 2),  # crosses the end: nights of 30 and 31 Dec
        (date(2023, 12, 1), date(2025, 2, 1), 366),  # spans the whole (leap) year
        (date(2023, 12, 1), date(2024, 1, 1), 0),  # left on the first day: no night inside
        (date(2023, 12, 31), date(2023, 12, 31), 0),  # same day outside the period
        (date(2025, 1, 1), date(2025, 1, 5), 0),  # after the period
    ],
)
def test_it_counts_nights_inside_the_period(make_stay, station, admitted, left, expected):
    make_stay(station, admitted, left)
    assert pd(station, date(2024, 1, 1), date(2024, 12, 31)) == expected


def test_it_counts_open_stays_up_to_a_frozen_today(make_stay, station, freeze_today):
    freeze_today(date(2024, 6, 20))
    make_stay(station, date(2024, 6, 10))  # 10 nights so far
    make_stay(station, date(2024, 6, 20))  # admitted today: a same-day stay so far
    assert pd(station, date(2024, 6, 1), date(2024, 6, 30)) == 11
    assert pd(station, date(2024, 6, 1), date(2024, 6, 15)) == 6  # nights of 10–15 June


def test_adjacent_periods_add_up_to_the_whole(make_stay, station, freeze_today):
    freeze_today(date(2024, 12, 31))
    make_stay(station, date(2024, 1, 28), date(2024, 2, 3))
    make_stay(station, date(2024, 2, 29), date(2024, 3, 1))
    make_stay(station, date(2024, 5, 5), date(2024, 5, 5))
    make_stay(station, date(2024, 11, 20))
    whole = pd(station, date(2024, 1, 1), date(2024, 12, 31))
    halves = pd(station, date(2024, 1, 1), date(2024, 6, 30)) + pd(
        station, date(2024, 7, 1), date(2024, 12, 31)
    )
    assert whole == halves == 6 + 1 + 1 + 41


def test_it_ignores_other_stations(make_stay, station, other_station):
    make_stay(other_station, date(2024, 3, 1), date(2024, 3, 5))
    assert pd(station, date(2024, 1, 1), date(2024, 12, 31)) == 0
