from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budget import services
from budget.models import Expenditure, FunctionClass, FundingSource, Nature


def test_it_records_an_expenditure_with_its_history(station, users, make_line):
    line = make_line(station, adjusted="100")
    expenditure = services.expenditure_record(
        station=station,
        line=line,
        date=date(2024, 3, 5),
        amount=Decimal("12.50"),
        voucher_no="记-0001",
        acting_user=users["finance_officer"],
    )
    assert expenditure.history.first().history_user == users["finance_officer"]


@pytest.mark.parametrize("amount", ["0", "-5.00"])
def test_it_refuses_an_amount_that_is_not_above_zero(station, users, make_line, amount):
    line = make_line(station)
    with pytest.raises(ValidationError) as error:
        services.expenditure_record(
            station=station,
            line=line,
            date=date(2024, 3, 5),
            amount=Decimal(amount),
            voucher_no="v",
            acting_user=users["finance_officer"],
        )
    assert "amount" in error.value.message_dict
    assert not Expenditure.objects.exists()


def test_it_refuses_a_date_outside_the_lines_year(station, users, make_line):
    with pytest.raises(ValidationError) as error:
        services.expenditure_record(
            station=station,
            line=make_line(station),
            date=date(2025, 1, 1),
            amount=Decimal("1"),
            voucher_no="v",
            acting_user=users["finance_officer"],
        )
    assert "date" in error.value.message_dict


def test_it_refuses_a_line_of_another_station(station, other_station, users, make_line):
    with pytest.raises(ValidationError):
        services.expenditure_record(
            station=station,
            line=make_line(other_station),
            date=date(2024, 1, 1),
            amount=Decimal("1"),
            voucher_no="v",
            acting_user=users["finance_officer"],
        )


def _line_data(**changes):
    data = {
        "year": 2024,
        "source": FundingSource.objects.get(code="general"),
        "nature": Nature.PROJECT,
        "function_class": FunctionClass.objects.get(code="2082002"),
        "project": None,
        "initial": Decimal("0"),
        "adjusted": Decimal("10"),
    }
    return {**data, **changes}


def test_project_money_needs_its_project(station, users, reference):
    with pytest.raises(ValidationError) as error:
        services.budget_line_create(
            station=station, data=_line_data(), acting_user=users["finance_officer"]
        )
    assert "project" in error.value.message_dict


def test_a_line_carries_a_7_digit_code(station, users, reference):
    data = _line_data(nature=Nature.PERSONNEL, function_class=FunctionClass.objects.get(code="208"))
    with pytest.raises(ValidationError) as error:
        services.budget_line_create(station=station, data=data, acting_user=users["admin"])
    assert "function_class" in error.value.message_dict


def test_a_line_takes_no_project_of_another_year(station, users, make_project):
    project = make_project(station, 2025)
    with pytest.raises(ValidationError):
        services.budget_line_create(
            station=station, data=_line_data(project=project), acting_user=users["admin"]
        )


def test_carried_forward_is_allocated_less_executed(station, make_project, make_line, spend):
    project = make_project(station, allocated=Decimal("100.00"))
    line = make_line(station, nature=Nature.PROJECT, project=project, adjusted="60")
    spend(line, "59.50")
    project = type(project).objects.with_executed().get(pk=project.pk)
    assert project.executed == Decimal("59.50")
    assert project.carried_forward == Decimal("40.50")


def test_the_year_of_a_line_with_expenditures_does_not_change(station, users, make_line, spend):
    line = make_line(station)
    spend(line, "1")
    with pytest.raises(ValidationError):
        services.budget_line_update(line=line, data={"year": 2025}, acting_user=users["admin"])
