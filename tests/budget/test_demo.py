"""The demo's 2024 equals the seed report to the cent of 万元."""

from datetime import date
from decimal import Decimal

import pytest

from budget import api
from budget.models import Nature, Project
from budget.selectors import rows_by_function
from demo.budget import load
from rescue_station import registry
from rescue_station.formatting import yuan_to_wan

# A copy of the seed's figures (../shared/seed/zhuzhou-2024.json), in 万元.
SEED = {
    "budget.initial": "720.16",
    "budget.adjusted": "1083.17",
    "budget.executed": "1082.78",
    "budget.executed_basic": "665.78",
    "budget.executed_personnel": "562.58",
    "budget.executed_public": "103.20",
    "budget.executed_project": "417.00",
}
SEED_PROJECT_BY_FUNCTION = {
    "2080704": "1.71",
    "2080705": "3.58",
    "2081099": "5.60",
    "2081901": "82.00",
    "2082002": "298.61",
    "2082501": "5.50",
    "2296002": "20.00",
}
SEED_MIDYEAR_EXECUTED = {
    "困难群众救助补助资金": "282.73",
    "特困人员生活救助": "82.00",
    "特困人员一次性生活补助": "5.50",
    "精神卫生福利院建设项目": "5.60",
    "公益性岗位就业补助资金": "5.29",
}
TODAY = date(2026, 11, 26)


@pytest.fixture
def demo(station, reference):
    load(station=station, users={}, today=TODAY)
    return station


def test_the_demo_totals_equal_the_seed_to_the_cent_of_wan(demo):
    keys = [m.key for m in registry.all_metrics() if m.key.startswith("budget.")]
    values = registry.compute_many(keys, demo, date(2024, 1, 1), date(2024, 12, 31))
    got = {k: str(yuan_to_wan(values[k])) for k in SEED}
    assert got == SEED
    assert values["budget.execution_rate"] == Decimal("99.96")


def test_the_demo_funds_block_is_the_seeds(demo):
    block = api.budget_block(station=demo, year=2024)
    wan = lambda a: tuple(str(yuan_to_wan(x)) for x in (a.initial, a.adjusted, a.executed))  # noqa: E731
    assert wan(block.total) == ("720.16", "1083.17", "1082.78")
    assert str(yuan_to_wan(block.by_source["一般公共预算"].adjusted)) == "1063.17"
    assert str(yuan_to_wan(block.by_source["政府性基金"].adjusted)) == "20.00"
    assert str(yuan_to_wan(block.by_source["一般公共预算"].executed)) == "1062.78"
    assert str(yuan_to_wan(block.by_nature[api.BASIC].adjusted)) == "666.17"
    assert str(yuan_to_wan(block.by_nature[api.PROJECT].adjusted)) == "417.00"
    assert api.budget_findings(block) == []


def test_the_demo_project_money_sits_under_the_seeds_seven_function_codes(demo):
    rows = rows_by_function(demo, 2024, Nature.PROJECT)
    assert {r.code: str(yuan_to_wan(r.executed)) for r in rows} == SEED_PROJECT_BY_FUNCTION


def test_the_demo_mid_year_projects_carry_their_printed_figures(demo):
    projects = Project.objects.for_station(demo).filter(year=2024, added_mid_year=True)
    projects = projects.with_executed()
    assert {p.name: str(yuan_to_wan(p.executed)) for p in projects} == SEED_MIDYEAR_EXECUTED
    assert sum(p.allocated for p in projects) == Decimal("4064000.00")
    # The ledger's own carried forward: 406.4 − 381.12 (the report prints 25.39, see demo.budget).
    carried = sum(p.allocated - p.executed for p in projects)
    assert yuan_to_wan(carried) == Decimal("25.28")


def test_the_demo_loads_once_and_spreads_payments_over_the_year(demo):
    from budget.models import Expenditure

    count = Expenditure.objects.count()
    load(station=demo, users={}, today=TODAY)
    assert Expenditure.objects.count() == count
    months = {d.month for d in Expenditure.objects.filter(date__year=2024).dates("date", "month")}
    assert months == set(range(1, 13))
    assert not Expenditure.objects.filter(date__gt=TODAY).exists()
    assert Expenditure.objects.filter(date__year=2026).exists()
