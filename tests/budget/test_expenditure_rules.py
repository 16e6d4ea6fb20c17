"""无预算不支出: an expenditure within what its line has left, a voucher number once per station
and year, and a wrong expenditure voided (红冲) with a reason, never changed in its money.

On the service, the form and the import alike.
"""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import Workbook

from budget import selectors, services
from budget.models import Expenditure
from budget.spreadsheets import EXPENDITURE_HEADERS
from rescue_station import registry


def _record(station, line, amount, voucher="记-1", on=None, user=None):
    return services.expenditure_record(
        station=station,
        line=line,
        date=on or date(line.year, 6, 1),
        amount=Decimal(amount),
        voucher_no=voucher,
        acting_user=user,
    )


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(EXPENDITURE_HEADERS)
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("import.xlsx", buffer.getvalue())


def _import_errors(client, rows):
    response = client.post(reverse("budget:import_expenditures"), {"file": _xlsx(rows)})
    assert response.status_code == 200
    result = response.context["result"]
    return [(e.row, e.column, e.message) for e in result.errors], response


# ---- over budget -------------------------------------------------------------------------------


def test_a_payment_above_what_the_line_has_left_is_refused_with_the_remaining_amount(
    station, make_line
):
    line = make_line(station, adjusted="12345.00")
    _record(station, line, "10000.00", "记-1")
    with pytest.raises(ValidationError) as refused:
        _record(station, line, "2345.01", "记-2")
    (message,) = refused.value.message_dict["amount"]
    assert "0.23 万元" in message and "2,345.00 元" in message  # 万元 and yuan, what is left
    assert "无预算不支出" in message
    assert Expenditure.objects.count() == 1


def test_a_payment_of_exactly_what_is_left_is_recorded(station, make_line):
    line = make_line(station, adjusted="100.00")
    _record(station, line, "60.00", "记-1")
    _record(station, line, "40.00", "记-2")
    assert selectors.line_remaining(line) == Decimal("0.00")


def test_the_form_refuses_a_payment_above_the_budget(station, make_line, client_for):
    line = make_line(station, adjusted="50.00")
    response = client_for("finance_officer").post(
        reverse("budget:expenditure_create"),
        {"line": line.pk, "date": "2024-03-01", "amount": "50.01", "voucher_no": "记-9"},
    )
    assert response.status_code == 200
    assert "尚余 0.01 万元（50.00 元）" in response.content.decode()
    assert not Expenditure.objects.exists()


# ---- voucher numbers ---------------------------------------------------------------------------


def test_a_voucher_number_is_used_once_in_the_stations_year(station, other_station, make_line):
    line = make_line(station, 2024, adjusted="100")
    other_line = make_line(station, 2024, code="2082002", adjusted="100")
    _record(station, line, "1.00", "记-7")
    with pytest.raises(ValidationError) as refused:
        _record(station, other_line, "1.00", "记-7")  # another line of the same year
    assert "voucher_no" in refused.value.message_dict
    # Another year, another station: free.
    _record(station, make_line(station, 2025, adjusted="100"), "1.00", "记-7")
    _record(other_station, make_line(other_station, 2024, adjusted="100"), "1.00", "记-7")
    assert Expenditure.objects.filter(voucher_no="记-7").count() == 3


def test_the_database_holds_the_voucher_rule_too(station, make_line, spend):
    line = make_line(station, adjusted="100")
    spend(line, "1.00", voucher="记-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Expenditure.objects.create(
            line=line, date=date(2024, 7, 1), amount=Decimal(1), voucher_no="记-1"
        )


def test_a_voided_payments_voucher_number_is_free_again(station, make_line, users):
    line = make_line(station, adjusted="100")
    wrong = _record(station, line, "90.00", "记-3")
    services.expenditure_void(
        station=station, expenditure=wrong, reason="金额录错", acting_user=users["finance_officer"]
    )
    right = _record(station, line, "9.00", "记-3")
    assert right.pk != wrong.pk


# ---- voiding (红冲) ----------------------------------------------------------------------------


def test_voiding_keeps_the_payment_with_who_when_and_why(station, make_line, users):
    officer = users["finance_officer"]
    line = make_line(station, adjusted="100")
    expenditure = _record(station, line, "30.00")
    services.expenditure_void(
        station=station, expenditure=expenditure, reason="科目录错", acting_user=officer
    )
    expenditure.refresh_from_db()
    assert expenditure.voided and expenditure.voided_by == officer
    assert expenditure.void_reason == "科目录错" and expenditure.amount == Decimal("30.00")
    latest = expenditure.history.first()
    assert latest.history_user == officer and latest.history_change_reason == "科目录错"
    with pytest.raises(ValidationError):  # once only
        services.expenditure_void(
            station=station, expenditure=expenditure, reason="again", acting_user=officer
        )


def test_voiding_without_a_reason_is_refused(station, make_line, users):
    expenditure = _record(station, make_line(station, adjusted="100"), "30.00")
    with pytest.raises(ValidationError):
        services.expenditure_void(
            station=station, expenditure=expenditure, reason="  ", acting_user=users["admin"]
        )
    expenditure.refresh_from_db()
    assert not expenditure.voided


def test_a_voided_payment_counts_in_no_sum(station, make_line, users):
    line = make_line(station, adjusted="100")
    _record(station, line, "70.00", "记-1")
    wrong = _record(station, line, "30.00", "记-2")
    assert selectors.line_remaining(line) == Decimal("0.00")
    services.expenditure_void(
        station=station, expenditure=wrong, reason="重复录入", acting_user=users["admin"]
    )
    assert selectors.line_remaining(line) == Decimal("30.00")
    figures = registry.compute_many(
        ["budget.executed", "budget.execution_rate"], station, date(2024, 1, 1), date(2024, 12, 31)
    )
    assert figures["budget.executed"] == Decimal("70.00")
    assert figures["budget.execution_rate"] == Decimal("70.00")
    assert selectors.budget_block(station=station, year=2024).total.executed == Decimal("70.00")
    assert selectors.line_executed(line) == Decimal("70.00")
    # What the void freed can be paid again.
    _record(station, line, "30.00", "记-3")


def test_the_lists_strike_a_voided_payment_through_and_leave_it_out_of_the_total(
    station, make_line, users, client_for
):
    line = make_line(station, adjusted="100")
    _record(station, line, "10.00", "记-1")
    wrong = _record(station, line, "20.00", "记-2")
    services.expenditure_void(
        station=station, expenditure=wrong, reason="凭证作废", acting_user=users["admin"]
    )
    client = client_for("finance_officer")
    page = client.get(reverse("budget:expenditure_list"))
    assert page.context["total"] == Decimal("10.00")
    html = page.content.decode()
    assert "已红冲" in html and "凭证作废" in html and "<del>20.00</del>" in html
    assert (
        "<del>20.00</del>"
        in client.get(reverse("budget:line_detail", args=[line.pk])).content.decode()
    )


def test_another_stations_payment_cannot_be_voided(
    station, other_station, make_line, users, client_for
):
    theirs = _record(other_station, make_line(other_station, adjusted="100"), "5.00")
    with pytest.raises(ValidationError):
        services.expenditure_void(
            station=station, expenditure=theirs, reason="x", acting_user=users["admin"]
        )
    response = client_for("finance_officer").post(
        reverse("budget:expenditure_void", args=[theirs.pk]),
        {"void_reason": "x", "version": theirs.version},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.voided


@pytest.mark.parametrize("role", ["supervisor", "bureau_supervisor", "station_staff"])
def test_only_the_finance_officer_voids(station, make_line, client_for, role):
    expenditure = _record(station, make_line(station, adjusted="100"), "5.00")
    url = reverse("budget:expenditure_void", args=[expenditure.pk])
    post = {"void_reason": "x", "version": expenditure.version}
    assert client_for(role).post(url, post).status_code == 403
    expenditure.refresh_from_db()
    assert not expenditure.voided
    post["void_reason"] = "录错"
    response = client_for("finance_officer").post(url, post)
    assert response.status_code == 302
    expenditure.refresh_from_db()
    assert expenditure.voided


def test_the_void_button_asks_for_a_reason(station, make_line, client_for):
    expenditure = _record(station, make_line(station, adjusted="100"), "5.00")
    client = client_for("finance_officer")
    page = client.get(reverse("budget:expenditure_edit", args=[expenditure.pk])).content.decode()
    assert 'data-testid="void"' in page and "data-confirm=" in page
    response = client.post(
        reverse("budget:expenditure_void", args=[expenditure.pk]),
        {"void_reason": "", "version": expenditure.version},
    )
    assert response.status_code == 400
    expenditure.refresh_from_db()
    assert not expenditure.voided


def test_a_payment_changed_since_the_page_was_loaded_is_not_voided(
    station, make_line, users, client_for
):
    expenditure = _record(station, make_line(station, adjusted="100"), "5.00")
    client = client_for("finance_officer")
    page = client.get(reverse("budget:expenditure_edit", args=[expenditure.pk])).content.decode()
    loaded = expenditure.version
    assert f'name="version" value="{loaded}"' in page  # the void form carries the version
    services.expenditure_update(
        expenditure=expenditure,
        data={"voucher_no": "记-0099", "description": "同事更正的摘要"},
        acting_user=users["admin"],
        expected_version=loaded,
    )
    response = client.post(
        reverse("budget:expenditure_void", args=[expenditure.pk]),
        {"void_reason": "录错", "version": loaded},
    )
    assert response.status_code == 400
    assert "同事更正的摘要" in response.content.decode()  # what the colleague changed is shown
    expenditure.refresh_from_db()
    assert not expenditure.voided and expenditure.description == "同事更正的摘要"
    response = client.post(  # having seen it, the officer may void the current version
        reverse("budget:expenditure_void", args=[expenditure.pk]),
        {"void_reason": "录错", "version": expenditure.version},
    )
    assert response.status_code == 302
    expenditure.refresh_from_db()
    assert expenditure.voided


# ---- a recorded payment's money does not change ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"), [("amount", Decimal("6.00")), ("date", date(2024, 7, 1))]
)
def test_the_service_refuses_changing_a_recorded_payments_money(station, make_line, field, value):
    expenditure = _record(station, make_line(station, adjusted="100"), "5.00")
    with pytest.raises(ValidationError) as refused:
        services.expenditure_update(expenditure=expenditure, data={field: value}, acting_user=None)
    assert field in refused.value.message_dict
    expenditure.refresh_from_db()
    assert expenditure.amount == Decimal("5.00") and expenditure.date == date(2024, 6, 1)


def test_the_service_refuses_moving_a_payment_to_another_line(station, make_line):
    expenditure = _record(station, make_line(station, adjusted="100"), "5.00")
    other = make_line(station, code="2082002", adjusted="100")
    with pytest.raises(ValidationError):
        services.expenditure_update(expenditure=expenditure, data={"line": other}, acting_user=None)
    assert not other.expenditures.exists()


def test_the_edit_form_changes_the_description_only(station, make_line, client_for):
    line = make_line(station, adjusted="100")
    expenditure = _record(station, line, "5.00")
    client = client_for("finance_officer")
    url = reverse("budget:expenditure_edit", args=[expenditure.pk])
    page = client.get(url)
    form = page.context["form"]
    assert all(form.fields[name].disabled for name in ("line", "date", "amount"))
    assert "修改金额、科目或日期请红冲后重新录入" in page.content.decode()
    response = client.post(
        url,
        {
            "line": line.pk,
            "date": "2024-08-01",
            "amount": "99.00",
            "voucher_no": expenditure.voucher_no,
            "description": "办公用品（已核对）",
            "version": expenditure.version,
        },
    )
    assert response.status_code == 302
    expenditure.refresh_from_db()
    assert expenditure.description == "办公用品（已核对）"
    assert (expenditure.amount, expenditure.date) == (Decimal("5.00"), date(2024, 6, 1))


def test_a_voided_payment_is_not_edited(station, make_line, users):
    expenditure = _record(station, make_line(station, adjusted="100"), "5.00")
    services.expenditure_void(
        station=station, expenditure=expenditure, reason="录错", acting_user=users["admin"]
    )
    with pytest.raises(ValidationError):
        services.expenditure_update(
            expenditure=expenditure, data={"description": "x"}, acting_user=None
        )


# ---- the import --------------------------------------------------------------------------------


def test_the_import_refuses_rows_above_the_budget_counting_the_rows_above(
    station, make_line, client_for, reference
):
    line = make_line(station, adjusted="100.00")
    _record(station, line, "40.00", "记-1")
    rows = [
        [line.pk, "2024-03-01", "记-2", "50.00", ""],
        [line.pk, "2024-03-02", "记-3", "10.00", ""],  # exactly the last of it
        [line.pk, "2024-03-03", "记-4", "0.01", ""],
    ]
    errors, response = _import_errors(client_for("finance_officer"), rows)
    assert [e[:2] for e in errors] == [(4, "金额（元）")]
    assert "尚余 0.00 万元（0.00 元）" in errors[0][2]
    assert "token" not in response.context  # nothing to commit
    assert Expenditure.objects.count() == 1


def test_the_import_refuses_voucher_numbers_used_in_the_year(
    station, make_line, client_for, reference
):
    line = make_line(station, adjusted="1000")
    _record(station, line, "1.00", "记-1")
    rows = [
        [line.pk, "2024-03-01", "记-1", "2.00", ""],  # in the database
        [line.pk, "2024-03-01", "记-2", "3.00", ""],
        [line.pk, "2024-03-05", "记-2", "4.00", ""],  # repeated in the file
    ]
    errors, _response = _import_errors(client_for("finance_officer"), rows)
    assert [e[:2] for e in errors] == [(2, "凭证号"), (4, "凭证号")]
    assert Expenditure.objects.count() == 1


def test_the_import_takes_a_voided_voucher_number_and_what_the_void_freed(
    station, make_line, client_for, users
):
    line = make_line(station, adjusted="100")
    wrong = _record(station, line, "100.00", "记-1")
    services.expenditure_void(
        station=station, expenditure=wrong, reason="录错", acting_user=users["admin"]
    )
    client = client_for("finance_officer")
    url = reverse("budget:import_expenditures")
    response = client.post(url, {"file": _xlsx([[line.pk, "2024-03-01", "记-1", "100.00", ""]])})
    assert response.context["result"].ok
    client.post(url, {"token": response.context["token"]})
    assert Expenditure.objects.live().get().amount == Decimal("100.00")
