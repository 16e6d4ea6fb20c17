"""Fixtures of the cases tests (the records come from tests.factories)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest


@pytest.fixture
def freeze_today(monkeypatch) -> Callable[[date], None]:
    """Make local_today() (and so the metrics' "today") return the given date."""

    def freeze(day: date) -> None:
        monkeypatch.setattr("rescue_station.selectors.local_today", lambda: day)

    return freeze
