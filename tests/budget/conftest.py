"""Budget fixtures and factories: reference data, and lines and expenditures on small data."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from budget.models import BudgetLine, Expenditure, FunctionClass, FundingSource, Nature, Project
from budget.reference import ensure_reference_data
from rescue_station.models import Station


@pytest.fixture
def reference(db) -> None:
    """Sources and codes (a transactional test flushes what the migration seeded)."""
    ensure_reference_data()


@pytest.fixture
def make_project(reference) -> Callable[..., Project]:
    def make(station: Station, year: int = 2024, **fields) -> Project:
        fields.setdefault("name", f"项目{Project.objects.count() + 1}")
        fields.setdefault("function_class", FunctionClass.objects.get(code="2082002"))
        fields.setdefault("allocated", Decimal("0"))
        return Project.objects.create(station=station, year=year, **fields)

    return make


@pytest.fixture
def make_line(reference, make_project) -> Callable[..., BudgetLine]:
    def make(
        station: Station,
        year: int = 2024,
        *,
        nature: str = Nature.PERSONNEL,
        source: str = "general",
        code: str = "2080201",
        initial: str = "0",
        adjusted: str = "0",
        project: Project | None = None,
        description: str = "",
    ) -> BudgetLine:
        if nature == Nature.PROJECT and project is None:
            project = make_project(station, year)
        return BudgetLine.objects.create(
            station=station,
            year=year,
            nature=nature,
            source=FundingSource.objects.get(code=source),
            function_class=FunctionClass.objects.get(code=code),
            project=project,
            initial=Decimal(initial),
            adjusted=Decimal(adjusted),
            description=description,
        )

    return make


@pytest.fixture
def spend() -> Callable[..., Expenditure]:
    numbers = itertools.count(1)

    def make(
        line: BudgetLine, amount: str, on: date | None = None, voucher: str | None = None
    ) -> Expenditure:
        # A voucher number is used once in a station's year: each payment has its own.
        return Expenditure.objects.create(
            line=line,
            date=on or date(line.year, 6, 1),
            amount=Decimal(amount),
            voucher_no=voucher or f"记-{next(numbers)}",
        )

    return make
