from decimal import Decimal

import pytest
from playwright.sync_api import expect

from budget.models import BudgetLine, FunctionClass, FundingSource, Nature
from budget.reference import ensure_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def line(station):
    ensure_reference_data()
    return BudgetLine.objects.create(
        station=station,
        year=2024,
        source=FundingSource.objects.get(code="general"),
        nature=Nature.PUBLIC,
        function_class=FunctionClass.objects.get(code="2080201"),
        initial=Decimal("100000"),
        adjusted=Decimal("100000"),
        description="公用经费",
    )


def test_the_finance_officer_adds_an_expenditure_and_sees_execution_change(
    users, line, login, page, live_server
):
    login("finance_officer")
    page.goto(f"{live_server.url}/budget/execution/?year=2024")
    expect(page.get_by_test_id("total-executed")).to_have_text("0.00")
    page.goto(f"{live_server.url}/budget/lines/{line.pk}/")
    page.get_by_test_id("add-expenditure").click()
    page.fill("#id_date", "2024-05-20")
    page.fill("#id_amount", "-5")
    page.fill("#id_voucher_no", "记-202405-0001")
    page.get_by_test_id("save").click()
    expect(page.locator(".field.has-error")).to_contain_text("金额必须大于零")
    page.fill("#id_amount", "25000.00")
    page.fill("#id_description", "办公用品采购")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("line-executed")).to_have_text("2.50")
    expect(page.get_by_test_id("line-rate")).to_have_text("25.00%")
    page.goto(f"{live_server.url}/budget/execution/?year=2024")
    expect(page.get_by_test_id("total-executed")).to_have_text("2.50")
    expect(page.get_by_test_id("total-rate")).to_have_text("25.00%")
