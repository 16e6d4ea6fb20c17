"""Hand-made monthly records for the monitoring tests: stays by month, a small framework, a
budget line with its payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from budget.models import BudgetLine, Expenditure, FunctionClass, FundingSource
from budget.reference import ensure_reference_data
from performance.services import framework_create, indicator_save
from tests.factories import StayFactory, at

D = Decimal

# Intakes by month, January to December: a quiet first half, a busy second half.
SEASON_2023 = [4, 4, 4, 4, 4, 4, 12, 12, 12, 12, 12, 12]  # 24 to 30 June, 96 in the year
SEASON_2024 = [5, 5, 5, 5, 5, 5, 15, 15, 15, 15, 15, 15]  # 30 to 30 June, 120 in the year


def stays_by_month(station, year: int, counts: list[int]) -> None:
    """``counts[m]`` same-day stays on the 10th of each month (an intake and a person-day each)."""
    for month, count in enumerate(counts, start=1):
        day = date(year, month, 10)
        for _ in range(count):
            StayFactory(
                station=station,
                admitted_on=day,
                admitted_at=at(day, 9),
                left_on=day,
                left_at=at(day, 17),
                exit_type="family_pickup",
                source="police",
            )


def framework_2024(station, users, year: int = 2024):
    framework = framework_create(station=station, year=year, acting_user=users["admin"])
    for order, (name, key, target, weight) in enumerate(
        [
            ("救助人次数", "cases.intakes", "120", "40"),
            ("救助人天次", "cases.person_days", "150", "40"),
            ("预算执行率", "budget.execution_rate", "100", "20"),
        ],
        start=1,
    ):
        indicator_save(
            framework=framework,
            acting_user=users["admin"],
            order=order,
            level1="产出指标" if order < 3 else "成本指标",
            level2="数量指标" if order < 3 else "经济成本指标",
            name=name,
            comparator=">=" if order < 3 else "=",
            target=target,
            unit="人次",
            weight=D(weight),
            metric_key=key,
        )
    return framework


def budget_line(station, year: int, adjusted: str, paid: list[tuple[date, str]]) -> None:
    ensure_reference_data()
    line = BudgetLine.objects.create(
        station=station,
        year=year,
        source=FundingSource.objects.get(name="一般公共预算"),
        nature="public",
        function_class=FunctionClass.objects.get(code="2082002"),
        initial=D(adjusted),
        adjusted=D(adjusted),
    )
    for n, (day, amount) in enumerate(paid):
        Expenditure.objects.create(
            line=line, date=day, amount=D(amount), voucher_no=f"V{line.pk}-{n}"
        )
