"""Fixtures of the performance tests: the seed's 2024 metrics and funds block, the demo framework."""

from __future__ import annotations

from decimal import Decimal

import pytest

from demo import performance as demo
from performance import selectors
from rescue_station import registry
from rescue_station.registry import Kind, Spec

from .seed_figures import ACTUALS_2024, block_2024


@pytest.fixture
def seed_metrics():
    """Test metrics that return the seed's 2024 actuals for 2024 (and a tenth less otherwise).

    Metrics that the other apps already registered are set aside for the test and put back after.
    """
    saved = (dict(registry._metrics), dict(registry._queries))
    for key in ACTUALS_2024:
        if key in registry._metrics:
            registry.unregister(key)
    values = {"2024": {k: Decimal(v) for k, v in ACTUALS_2024.items()}}
    overrides: dict[str, Decimal | None] = {}

    @registry.register_group(
        "performance_test.seed",
        {
            key: Spec(
                key,
                "%" if "rate" in key else "",
                Kind.RATE if "rate" in key else Kind.COUNT,
                "Seed.",
            )
            for key in ACTUALS_2024
        },
    )
    def seed(station, start, end):
        year = values.get(str(start.year))
        result = {k: (year[k] if year else v * Decimal("0.9")) for k, v in values["2024"].items()}
        return {**result, **overrides}

    yield overrides
    registry._metrics.clear()
    registry._metrics.update(saved[0])
    registry._queries.clear()
    registry._queries.update(saved[1])


@pytest.fixture
def seed_budget(monkeypatch):
    """The funds block of the seed for every station and year."""
    blocks = {"block": block_2024()}
    monkeypatch.setattr(selectors, "load_budget_block", lambda *, station, year: blocks["block"])
    return blocks


@pytest.fixture
def demo_2024(station, users, seed_metrics, seed_budget):
    """The demo frameworks (2024 as printed) on the test station."""
    from datetime import date

    demo.load(station=station, users=users, today=date(2026, 11, 26))
    from performance.models import Framework

    return Framework.objects.get(station=station, year=2024)
