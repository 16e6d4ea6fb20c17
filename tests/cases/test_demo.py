"""The demo's 2024 records reproduce the seed's cases.* figures exactly.

The figures are copied from ../shared/seed/zhuzhou-2024.json ("metrics") so that the project
tests without that folder.
"""

from datetime import date
from decimal import Decimal

import pytest

from cases.models import Stay
from demo import cases as demo
from demo.stations import demo_users
from rescue_station import registry
from rescue_station.registry import format_value
from tests.factories import StationFactory

SEED = {
    "cases.intakes": 1826,
    "cases.person_days": 5577,
    "cases.family_pickups": 27,
    "cases.escorted_home": 107,
    "cases.tracing_successes": 17,
    "cases.hukou_registrations": 60,
    "cases.special_hardship_enrolled": 58,
    "cases.street_patrols": 156,
    "cases.street_persons_assisted": 780,
    "cases.campaign_area_coverage_rate": "100.00",
    "cases.temperature_check_rate": "100.00",
    "cases.sick_treated_rate": "100.00",
    "cases.tracing_coverage_rate": "100.00",
    "cases.care_rate": "100.00",
    "cases.ticket_timely_rate": "100.00",
    "cases.hotline_tickets": 32,
    "cases.platform_dispatches": 40,
    "cases.safety_hazards_fixed": 14,
    "cases.safety_incidents": 0,
    "cases.satisfaction_rate": "98.00",
}
TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo_station(module_db):
    """The demo's cases records, loaded once for the module on a station of their own."""
    station = StationFactory(code="zhuzhou", name="株洲市救助管理站", region_code="430200")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("rescue_station.selectors.local_today", lambda: TODAY)
        demo.load(station=station, users=demo_users(station), today=TODAY)
        yield station


@pytest.fixture
def loaded(db, demo_station, freeze_today):
    freeze_today(TODAY)
    demo_station.refresh_from_db()
    return demo_station


def test_the_demo_2024_metrics_equal_the_seed(loaded):
    values = registry.compute_many(SEED, loaded, date(2024, 1, 1), date(2024, 12, 31))
    got = {k: Decimal(format_value(registry.get(k), v)) for k, v in values.items()}
    assert got == {k: Decimal(str(v)) for k, v in SEED.items()}


def test_the_demo_has_58_minors_in_2024_and_people_in_the_station_today(loaded):
    stays = Stay.objects.for_station(loaded)
    assert stays.filter(is_minor=True, admitted_on__year=2024).count() == 58
    present = list(stays.present().select_related("station").prefetch_related("extensions"))
    assert present
    assert any(s.is_over_limit(TODAY) for s in present)
    assert any(s.is_minor for s in present)


def test_loading_twice_creates_nothing_twice_and_reset_empties(loaded):
    count = Stay.objects.count()
    demo.load(station=loaded, users=demo_users(loaded), today=TODAY)
    assert Stay.objects.count() == count
    demo.reset(station=loaded)
    assert not Stay.objects.exists()
