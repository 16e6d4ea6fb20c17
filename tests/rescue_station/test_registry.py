import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rescue_station import registry
from rescue_station.registry import Kind, Spec


@pytest.fixture
def test_metrics():
    """Metrics defined by the test: a count from the station's id, a rate and a money group."""
    calls = []

    @registry.register("testapp.days", label="天数", unit="天", kind=Kind.COUNT)
    def days(station, start, end):
        """Days in the period, both ends inclusive."""
        return (end - start).days + 1

    @registry.register_group(
        "testapp.money",
        {
            "testapp.spent": Spec("支出", "元", Kind.MONEY, "Spent."),
            "testapp.rate": Spec("比率", "%", Kind.RATE, "A third."),
            "testapp.empty_rate": Spec("空比率", "%", Kind.RATE, "Nothing to divide by."),
        },
    )
    def money(station, start, end):
        calls.append((start, end))
        return {
            "testapp.spent": Decimal("1234.5"),
            "testapp.rate": Decimal(100) / Decimal(3),
            "testapp.empty_rate": None,
        }

    yield calls
    for key in ["testapp.days", "testapp.spent", "testapp.rate", "testapp.empty_rate"]:
        registry.unregister(key)


def test_it_refuses_a_metric_without_a_definition():
    with pytest.raises(ValueError, match="docstring"):

        @registry.register("testapp.nodoc", label="x", unit="", kind=Kind.COUNT)
        def nodoc(station, start, end):
            return 1


def test_it_refuses_a_key_without_an_app():
    with pytest.raises(ValueError, match="of the form"):
        registry.register("nodot", label="x", unit="", kind=Kind.COUNT)(lambda s, a, b: 1)


def test_it_refuses_a_key_registered_twice(test_metrics):
    with pytest.raises(ValueError, match="twice"):

        @registry.register("testapp.days", label="x", unit="", kind=Kind.COUNT)
        def again(station, start, end):
            """Again."""
            return 1


def test_it_runs_a_shared_query_once_for_all_its_metrics(test_metrics, station):
    values = registry.compute_many(
        ["testapp.spent", "testapp.rate", "testapp.days"],
        station,
        date(2024, 1, 1),
        date(2024, 12, 31),
    )
    assert test_metrics == [(date(2024, 1, 1), date(2024, 12, 31))]
    assert values["testapp.days"] == Decimal(366)
    assert values["testapp.spent"] == Decimal("1234.5")


def test_it_formats_counts_rates_and_money(test_metrics):
    assert registry.format_value(registry.get("testapp.days"), Decimal("12.5")) == "13"
    assert registry.format_value(registry.get("testapp.rate"), Decimal(100) / 3) == "33.33"
    assert registry.format_value(registry.get("testapp.spent"), Decimal("0.005")) == "0.01"
    assert registry.format_value(registry.get("testapp.rate"), None) is None


def test_it_refuses_a_period_that_ends_before_it_starts(test_metrics, station):
    with pytest.raises(ValueError):
        registry.compute("testapp.days", station, date(2024, 2, 1), date(2024, 1, 1))


def test_it_raises_for_an_unknown_key():
    with pytest.raises(registry.UnknownMetric):
        registry.get("nothing.here")


def _metrics_json(*args: str) -> dict:
    out = StringIO()
    call_command("metrics", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_a_year_as_json(test_metrics, station):
    data = _metrics_json("--station", "zhuzhou", "--year", "2024")
    assert data["station"] == "zhuzhou"
    assert data["station_name"] == "株洲市救助管理站"
    assert (data["start"], data["end"]) == ("2024-01-01", "2024-12-31")
    assert data["metrics"]["testapp.days"] == {"label": "天数", "unit": "天", "value": "366"}
    assert data["metrics"]["testapp.spent"]["value"] == "1234.50"
    assert data["metrics"]["testapp.rate"]["value"] == "33.33"
    assert data["metrics"]["testapp.empty_rate"]["value"] is None


def test_the_command_takes_a_period_with_inclusive_ends(test_metrics, station):
    data = _metrics_json("--station", "zhuzhou", "--start", "2024-03-01", "--end", "2024-03-31")
    assert data["metrics"]["testapp.days"]["value"] == "31"


def test_the_command_prints_a_table_by_default(test_metrics, station):
    out = StringIO()
    call_command("metrics", "--station", "zhuzhou", "--year", "2023", stdout=out)
    text = out.getvalue()
    assert "株洲市救助管理站" in text
    assert "testapp.days" in text and "365" in text


def test_the_command_refuses_an_unknown_station(db):
    with pytest.raises(CommandError, match="unknown station"):
        call_command("metrics", "--station", "nowhere", "--year", "2024")


@pytest.mark.parametrize(
    "args",
    [
        ["--start", "2024-01-01"],
        ["--year", "2024", "--start", "2024-01-01", "--end", "2024-02-01"],
        ["--start", "2024-03-01", "--end", "2024-01-01"],
        [],
    ],
)
def test_the_command_refuses_an_unclear_period(station, args):
    with pytest.raises(CommandError):
        call_command("metrics", "--station", "zhuzhou", *args)
