from datetime import date
from decimal import Decimal

import pytest

from budget import api
from budget.models import Nature
from rescue_station import registry


def _metrics(station, start, end):
    keys = [m.key for m in registry.all_metrics() if m.key.startswith("budget.")]
    return registry.compute_many(keys, station, start, end)


def test_it_computes_execution_and_rate_on_small_data(station, make_line, spend):
    salaries = make_line(station, initial="100.00", adjusted="120.00")
    office = make_line(station, nature=Nature.PUBLIC, initial="30.00", adjusted="30.00")
    rescue = make_line(
        station, nature=Nature.PROJECT, code="2082002", initial="0", adjusted="50.00"
    )
    spend(salaries, "60.00")
    spend(salaries, "59.99", date(2024, 12, 31))
    spend(office, "10.01")
    spend(rescue, "25.00")
    values = _metrics(station, date(2024, 1, 1), date(2024, 12, 31))
    assert values["budget.initial"] == Decimal("130.00")
    assert values["budget.adjusted"] == Decimal("200.00")
    assert values["budget.executed"] == Decimal("155.00")
    assert values["budget.execution_rate"] == Decimal("77.50")
    assert values["budget.executed_personnel"] == Decimal("119.99")
    assert values["budget.executed_public"] == Decimal("10.01")
    assert values["budget.executed_basic"] == Decimal("130.00")
    assert values["budget.executed_project"] == Decimal("25.00")


def test_it_rounds_the_rate_half_up_to_two_places(station, make_line, spend):
    line = make_line(station, adjusted="3.00")
    spend(line, "2.00")
    rate = _metrics(station, date(2024, 1, 1), date(2024, 12, 31))["budget.execution_rate"]
    assert rate == Decimal("66.67")


def test_it_gives_no_rate_when_the_adjusted_budget_is_zero(station, make_line, spend):
    make_line(station, adjusted="0")
    values = _metrics(station, date(2024, 1, 1), date(2024, 12, 31))
    assert values["budget.execution_rate"] is None
    assert values["budget.executed"] == Decimal("0")


def test_a_period_takes_the_budget_of_the_year_of_its_end_and_the_payments_inside_it(
    station, make_line, spend
):
    line_2024 = make_line(station, 2024, adjusted="1000.00")
    line_2025 = make_line(station, 2025, initial="500.00", adjusted="800.00")
    spend(line_2024, "100.00", date(2024, 12, 20))
    spend(line_2025, "40.00", date(2025, 1, 10))
    spend(line_2025, "99.00", date(2025, 3, 1))
    values = _metrics(station, date(2024, 12, 1), date(2025, 1, 31))
    assert values["budget.initial"] == Decimal("500.00")
    assert values["budget.adjusted"] == Decimal("800.00")
    assert values["budget.executed"] == Decimal("140.00")
    assert values["budget.execution_rate"] == Decimal("17.50")


def test_it_counts_only_the_stations_own_money(station, other_station, make_line, spend):
    spend(make_line(other_station, adjusted="10.00"), "10.00")
    values = _metrics(station, date(2024, 1, 1), date(2024, 12, 31))
    assert values["budget.adjusted"] == 0 and values["budget.executed"] == 0


@pytest.mark.django_db
def test_the_eight_metrics_share_one_group_of_two_queries(
    station, make_line, django_assert_max_num_queries
):
    make_line(station, adjusted="1.00")
    with django_assert_max_num_queries(2):
        _metrics(station, date(2024, 1, 1), date(2024, 12, 31))


def test_the_funds_block_sums_each_cut_on_its_own(station, make_line, spend):
    spend(make_line(station, initial="10", adjusted="12"), "11")
    spend(make_line(station, nature=Nature.PUBLIC, adjusted="5"), "4")
    spend(
        make_line(
            station, nature=Nature.PROJECT, source="government_fund", code="2296002", adjusted="20"
        ),
        "20",
    )
    block = api.budget_block(station=station, year=2024)
    assert block.total == api.Amounts(Decimal("10"), Decimal("37"), Decimal("35"))
    assert set(block.by_source) == set(api.SOURCES)
    assert block.by_source["政府性基金"].executed == Decimal("20")
    assert block.by_source["一般公共预算"].adjusted == Decimal("17")
    assert block.by_nature[api.BASIC] == api.Amounts(Decimal("10"), Decimal("17"), Decimal("15"))
    assert block.by_nature[api.PERSONNEL].executed == Decimal("11")
    assert block.by_nature[api.PUBLIC].executed == Decimal("4")
    assert block.by_nature[api.PROJECT].adjusted == Decimal("20")
    assert api.budget_findings(block) == []


def test_the_monthly_table_runs_against_the_share_of_the_year_gone(station, make_line, spend):
    from budget.selectors import monthly, year_share

    line = make_line(station, adjusted="1200.00")
    spend(line, "10.00", date(2024, 1, 31))
    spend(line, "110.00", date(2024, 3, 2))
    months = monthly(station, 2024, Decimal("1200.00"), today=date(2024, 3, 15))
    assert [m.executed for m in months[:3]] == [
        Decimal("10.00"),
        Decimal("0.00"),
        Decimal("110.00"),
    ]
    assert months[2].cumulative == Decimal("120.00")
    assert months[2].cumulative_rate == Decimal("10.00")
    assert months[0].year_share == Decimal("8.47")  # 31 of 366 days
    assert months[2].year_share == year_share(2024, date(2024, 3, 15))
    assert months[1].behind and not months[0].behind
    assert months[3].future and not months[2].future
    assert year_share(2024, date(2025, 1, 1)) == Decimal("100.00")


def test_the_function_table_adds_up_each_class_and_section(station, make_line, spend):
    from budget.selectors import rows_by_function_tree

    spend(make_line(station, code="2080201", adjusted="10"), "4")
    spend(make_line(station, code="2080505", adjusted="5"), "5")
    spend(make_line(station, code="2101102", adjusted="3"), "1")
    tree = rows_by_function_tree(station, 2024)
    assert [(r.code, r.extra["level"], r.executed) for r in tree] == [
        ("208", 1, Decimal("9.00")),
        ("20802", 2, Decimal("4.00")),
        ("2080201", 3, Decimal("4.00")),
        ("20805", 2, Decimal("5.00")),
        ("2080505", 3, Decimal("5.00")),
        ("210", 1, Decimal("1.00")),
        ("21011", 2, Decimal("1.00")),
        ("2101102", 3, Decimal("1.00")),
    ]
