"""Access to every budget page, and the forms that write."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from budget.models import BudgetLine, Expenditure, FunctionClass, FundingSource, Nature, Project

READ = ["execution", "execution_export", "project_list", "line_list", "expenditure_list"]
READ_PK = ["project_detail", "line_detail"]
WRITE = [
    "project_create",
    "line_create",
    "expenditure_create",
    "import_lines",
    "import_expenditures",
]
WRITE_PK = ["project_edit", "line_edit", "expenditure_edit"]


@pytest.fixture
def records(station, make_line, make_project, spend):
    project = make_project(station)
    line = make_line(
        station, nature=Nature.PROJECT, project=project, code="2082002", adjusted="100"
    )
    return {"project": project, "line": line, "expenditure": spend(line, "10")}


def _url(name, records):
    if name in ("project_detail", "project_edit"):
        return reverse(f"budget:{name}", args=[records["project"].pk])
    if name in ("line_detail", "line_edit"):
        return reverse(f"budget:{name}", args=[records["line"].pk])
    if name == "expenditure_edit":
        return reverse(f"budget:{name}", args=[records["expenditure"].pk])
    return reverse(f"budget:{name}")


ALL = READ + READ_PK + WRITE + WRITE_PK


@pytest.mark.parametrize("name", ALL)
def test_it_sends_anonymous_users_to_the_login_page(records, name):
    response = Client().get(_url(name, records))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("role", ["station_staff", "minors_worker"])
@pytest.mark.parametrize("name", ALL)
def test_it_refuses_roles_without_budget_permissions(client_for, records, role, name):
    assert client_for(role).get(_url(name, records)).status_code == 403


@pytest.mark.parametrize("role", ["supervisor", "bureau_supervisor"])
@pytest.mark.parametrize("name", READ + READ_PK)
def test_supervisors_read_the_budget(client_for, records, role, name):
    assert client_for(role).get(_url(name, records)).status_code == 200


@pytest.mark.parametrize("role", ["supervisor", "bureau_supervisor"])
@pytest.mark.parametrize("name", WRITE + WRITE_PK)
def test_supervisors_do_not_write(client_for, records, role, name):
    assert client_for(role).get(_url(name, records)).status_code == 403


@pytest.mark.parametrize("name", ALL)
def test_the_finance_officer_reaches_every_page(client_for, records, name):
    assert client_for("finance_officer").get(_url(name, records)).status_code == 200


@pytest.mark.parametrize("name", READ_PK + WRITE_PK)
def test_another_stations_record_answers_404(
    client_for, other_station, make_line, make_project, spend, name
):
    project = make_project(other_station)
    line = make_line(other_station, nature=Nature.PROJECT, project=project, code="2082002")
    foreign = {"project": project, "line": line, "expenditure": spend(line, "1")}
    assert client_for("finance_officer").get(_url(name, foreign)).status_code == 404


def test_the_template_of_an_unknown_kind_answers_404(client_for, reference):
    response = client_for("finance_officer").get("/budget/templates/other.xlsx")
    assert response.status_code == 404


def test_the_finance_officer_adds_a_project_a_line_and_an_expenditure(
    client_for, station, users, reference
):
    client = client_for("finance_officer")
    code = FunctionClass.objects.get(code="2082002")
    response = client.post(
        reverse("budget:project_create"),
        {
            "year": 2024,
            "name": "困难群众救助补助资金",
            "basis_document": "湘财社〔2022〕30号",
            "function_class": code.pk,
            "added_mid_year": "on",
            "allocated": "3080100.00",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and project.station == station
    client.post(
        reverse("budget:line_create"),
        {
            "year": 2024,
            "source": FundingSource.objects.get(code="general").pk,
            "nature": Nature.PROJECT,
            "function_class": code.pk,
            "project": project.pk,
            "initial": "0",
            "adjusted": "2827300.00",
        },
    )
    line = BudgetLine.objects.get()
    response = client.post(
        reverse("budget:expenditure_create"),
        {"line": line.pk, "date": "2024-06-03", "amount": "1200.00", "voucher_no": "记-0601"},
    )
    assert response.status_code == 302
    expenditure = Expenditure.objects.get()
    assert expenditure.amount == Decimal("1200.00")
    assert expenditure.history.get().history_user == users["finance_officer"]
    page = client.get(reverse("budget:execution") + "?year=2024").context
    assert page["total"].executed == Decimal("1200.00")


def test_a_bad_expenditure_is_refused_with_a_message_and_saves_nothing(
    client_for, station, make_line
):
    line = make_line(station)
    response = client_for("finance_officer").post(
        reverse("budget:expenditure_create"),
        {"line": line.pk, "date": "2025-01-03", "amount": "-1", "voucher_no": "v"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "amount" in errors
    assert not Expenditure.objects.exists()


def test_the_expenditure_form_offers_only_the_stations_lines(
    client_for, station, other_station, make_line
):
    mine, foreign = make_line(station), make_line(other_station)
    response = client_for("finance_officer").post(
        reverse("budget:expenditure_create"),
        {"line": foreign.pk, "date": "2024-01-03", "amount": "1", "voucher_no": "v"},
    )
    assert "line" in response.context["form"].errors
    assert list(response.context["form"].fields["line"].queryset) == [mine]


def test_lists_search_and_filter(client_for, station, make_line, spend):
    line = make_line(station, description="工资")
    spend(line, "5", date(2024, 3, 1), voucher="记-0301")
    spend(line, "7", date(2024, 4, 1), voucher="记-0401")
    client = client_for("finance_officer")
    page = client.get(reverse("budget:expenditure_list"), {"q": "0401"}).context
    assert [e.voucher_no for e in page["page_obj"]] == ["记-0401"]
    page = client.get(reverse("budget:expenditure_list"), {"year": 2024, "month": 3}).context
    assert page["total"] == Decimal("5.00")
    page = client.get(reverse("budget:line_list"), {"q": "工资"}).context
    assert [x.pk for x in page["page_obj"]] == [line.pk]
    assert page["page_obj"][0].executed == Decimal("12.00")


def test_the_execution_page_shows_the_findings_of_an_over_executed_line(
    client_for, station, make_line, spend
):
    spend(make_line(station, adjusted="10"), "12")
    response = client_for("finance_officer").get(reverse("budget:execution"), {"year": 2024})
    codes = {f.code for f in response.context["findings"]}
    assert codes == {"budget.over_executed"}
    assert "超过全年预算数" in response.content.decode()


def test_paying_above_the_adjusted_budget_is_refused_with_what_is_left(
    client_for, station, make_line, spend
):
    line = make_line(station, adjusted="10.00")
    spend(line, "4.00")
    response = client_for("finance_officer").post(
        reverse("budget:expenditure_create"),
        {"line": line.pk, "date": "2024-01-03", "amount": "12.00", "voucher_no": "v"},
    )
    assert response.status_code == 200
    (message,) = response.context["form"].errors["amount"]
    assert "6.00 元" in message and "无预算不支出" in message
    assert Expenditure.objects.count() == 1


def test_readers_see_no_buttons_that_write(client_for, records):
    for name in ("line_list", "expenditure_list", "project_list"):
        page = client_for("supervisor").get(reverse(f"budget:{name}")).content.decode()
        assert "/new/" not in page and "/import/" not in page
    page = client_for("finance_officer").get(reverse("budget:line_list")).content.decode()
    assert reverse("budget:line_create") in page
