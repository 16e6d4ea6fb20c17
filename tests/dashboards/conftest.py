"""A station's working day made by hand: people in the station (one over the limit with an
extension asked), a ticket past its deadline, a patrol this week, this year's framework and
budget. Dates are relative to the real today, which the pages read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from budget.models import BudgetLine, Expenditure, FunctionClass, FundingSource
from budget.reference import ensure_reference_data
from cases.models import StayExtension, StreetPatrol, Ticket
from performance.services import framework_create, indicator_save
from rescue_station.models import Station
from rescue_station.selectors import local_today
from tests.factories import StayFactory


@pytest.fixture
def day_of_work(users) -> Callable[..., dict]:
    """``make(station, people=3)``: the records of one station's day; returns the ones tests use."""
    ensure_reference_data()

    def make(station: Station, people: int = 3, label: str = "") -> dict:
        today = local_today()
        stays = []
        for n in range(people):
            admitted = today - timedelta(days=2 + n * 7)  # 2, 9, 16, … nights
            stays.append(
                StayFactory(
                    station=station,
                    admitted_on=admitted,
                    source="police",
                    person__name=f"{label}受助人{n}",
                )
            )
        extension = StayExtension.objects.create(
            stay=stays[-1],
            days=10,
            reason=f"{label}身份核查中",
            requested_by=users["station_staff"],
            requested_at=timezone.now() - timedelta(hours=3),
        )
        now = timezone.now()
        ticket = Ticket.objects.create(
            station=station,
            channel="hotline",
            number=f"{label}T1",
            received_at=now - timedelta(days=3),
            received_on=(now - timedelta(days=3)).date(),
            deadline=now - timedelta(days=1),
            summary=f"{label}市民反映桥下有人露宿",
        )
        StreetPatrol.objects.create(
            station=station, patrol_date=today, area=f"{label}火车站", persons_met=2
        )
        framework = framework_create(station=station, year=today.year, acting_user=users["admin"])
        indicator_save(
            framework=framework,
            acting_user=users["admin"],
            order=1,
            level1="产出指标",
            level2="数量指标",
            name="救助人次数",
            comparator=">=",
            target="5000",
            unit="人次",
            weight=Decimal("40"),
            metric_key="cases.intakes",
        )
        line = BudgetLine.objects.create(
            station=station,
            year=today.year,
            source=FundingSource.objects.get(name="一般公共预算"),
            nature="public",
            function_class=FunctionClass.objects.get(code="2082002"),
            initial=Decimal("100000.00"),
            adjusted=Decimal("100000.00"),
            description=f"{label}公用经费",
        )
        Expenditure.objects.create(
            line=line, date=date(today.year, 1, 1), amount=Decimal("100.00"), voucher_no="V1"
        )
        return {"stays": stays, "extension": extension, "ticket": ticket, "framework": framework}

    return make
