"""Excel in and out: all or nothing imports with messages by row and column; the export's totals."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from budget.models import BudgetLine, Expenditure, Nature
from budget.spreadsheets import EXPENDITURE_HEADERS, LINE_HEADERS
from rescue_station.formatting import yuan_to_wan


def _xlsx(headers, rows) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("import.xlsx", buffer.getvalue())


def _line_row(**changes):
    row = {
        "年度": 2024,
        "资金来源": "一般公共预算",
        "支出性质": "基本支出-人员经费",
        "功能分类科目编码": "2080201",
        "功能分类科目名称": "行政运行",
        "项目名称": "",
        "年初预算数（元）": "1000.00",
        "全年预算数（元）": "1200.50",
        "摘要": "工资",
    }
    row.update(changes)
    return [row[h] for h in LINE_HEADERS]


@pytest.fixture
def finance(client_for, reference):
    return client_for("finance_officer")


def _errors(response):
    return [(e.row, e.column, e.message) for e in response.context["result"].errors]


def test_it_previews_then_imports_budget_lines(finance, station):
    url = reverse("budget:import_lines")
    response = finance.post(
        url, {"file": _xlsx(LINE_HEADERS, [_line_row(), _line_row(摘要="津贴")])}
    )
    assert response.context["result"].ok
    assert len(response.context["preview"]) == 2
    assert not BudgetLine.objects.exists()  # a preview saves nothing
    response = finance.post(url, {"token": response.context["token"]})
    assert response.status_code == 302
    assert BudgetLine.objects.filter(station=station).count() == 2
    assert BudgetLine.objects.first().adjusted == Decimal("1200.50")


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"全年预算数（元）": "-5"}, "全年预算数（元）", "不能为负数"),
        ({"年初预算数（元）": "一千"}, "年初预算数（元）", "不是有效数字"),
        ({"功能分类科目编码": "2089999"}, "功能分类科目编码", "未知的功能分类科目编码"),
        ({"支出性质": "项目支出", "项目名称": "不存在的项目"}, "项目名称", "不存在的项目"),
    ],
)
def test_a_bad_line_row_is_refused_with_its_message_and_nothing_is_imported(
    finance, changes, column, message
):
    rows = [_line_row(), _line_row(**changes)]
    response = finance.post(reverse("budget:import_lines"), {"file": _xlsx(LINE_HEADERS, rows)})
    errors = _errors(response)
    assert errors and errors[0][:2] == (3, column)
    assert message in errors[0][2]
    assert "token" not in response.context
    assert not BudgetLine.objects.exists()
    assert "未导入任何数据" in response.content.decode()


def test_a_file_with_another_header_is_refused(finance):
    response = finance.post(
        reverse("budget:import_lines"), {"file": _xlsx(["日期", "金额"], [["2024-01-01", 1]])}
    )
    assert response.context["form"].errors["file"]


def test_it_imports_expenditures_all_or_nothing(finance, station, other_station, make_line):
    line = make_line(station, adjusted="1000")
    foreign = make_line(other_station, adjusted="1000")
    url = reverse("budget:import_expenditures")
    good = [line.pk, "2024-03-01", "记-0001", "120.00", "办公用品"]
    cases = [
        ([line.pk, "2024-03-02", "记-0002", "-3", "x"], "金额（元）", "大于零"),
        ([line.pk, "2024-03-02", "记-0002", "abc", "x"], "金额（元）", "不是有效数字"),
        ([foreign.pk, "2024-03-02", "记-0002", "3", "x"], "预算指标编号", "不是本站的预算指标"),
        ([line.pk, "2025-03-02", "记-0002", "3", "x"], "凭证日期", "2024"),
        # The model's rule, as on the expenditure form.
        ([line.pk, "2024-03-02", "记-0002", "3", "办公\u202e用品"], "摘要", "控制字符"),
    ]
    for bad, column, message in cases:
        response = finance.post(url, {"file": _xlsx(EXPENDITURE_HEADERS, [good, bad])})
        [(row, col, text)] = _errors(response)
        assert (row, col) == (3, column) and message in text
        assert not Expenditure.objects.exists()
    response = finance.post(url, {"file": _xlsx(EXPENDITURE_HEADERS, [good])})
    finance.post(url, {"token": response.context["token"]})
    assert Expenditure.objects.get().amount == Decimal("120.00")


def test_a_used_preview_token_imports_nothing_twice(finance, station, make_line):
    line = make_line(station, adjusted="100")
    url = reverse("budget:import_expenditures")
    row = [line.pk, date(2024, 3, 1), "记-1", 5, ""]
    token = finance.post(url, {"file": _xlsx(EXPENDITURE_HEADERS, [row])}).context["token"]
    finance.post(url, {"token": token})
    finance.post(url, {"token": token})
    assert Expenditure.objects.count() == 1


@pytest.mark.parametrize("kind", ["lines", "expenditures"])
def test_the_templates_carry_the_import_headers(finance, kind):
    response = finance.get(reverse("budget:import_template", args=[kind]))
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers == (LINE_HEADERS if kind == "lines" else EXPENDITURE_HEADERS)


def test_the_export_opens_and_its_totals_equal_the_pages(finance, station, make_line, spend):
    spend(make_line(station, initial="1000000", adjusted="1200000"), "1100000.55")
    spend(make_line(station, nature=Nature.PROJECT, code="2082002", adjusted="300000"), "12345.67")
    page = finance.get(reverse("budget:execution") + "?year=2024").context
    response = finance.get(reverse("budget:execution_export") + "?year=2024")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    summary = workbook["预算执行总表"]
    total = next(r for r in summary.iter_rows(values_only=True) if r[0] == "年度资金总额")
    expected = page["total"]
    assert [Decimal(str(v)) for v in total[1:4]] == [
        yuan_to_wan(expected.initial),
        yuan_to_wan(expected.adjusted),
        yuan_to_wan(expected.executed),
    ]
    assert Decimal(str(total[4])) == expected.rate
    functions = workbook["按功能分类"]
    last = next(r for r in functions.iter_rows(values_only=True) if r[1] == "合计")
    assert Decimal(str(last[4])) == yuan_to_wan(page["function_total"].executed)


def test_importing_the_same_file_twice_is_refused(finance, station, make_line):
    line = make_line(station, adjusted="100")
    url = reverse("budget:import_expenditures")
    row = [line.pk, "2024-03-01", "记-1", "5.10", ""]
    token = finance.post(url, {"file": _xlsx(EXPENDITURE_HEADERS, [row])}).context["token"]
    finance.post(url, {"token": token})
    response = finance.post(url, {"file": _xlsx(EXPENDITURE_HEADERS, [row])})
    assert _errors(response)[0][:2] == (2, "凭证号")
    assert Expenditure.objects.count() == 1


def test_a_budget_line_repeated_in_the_file_is_refused(finance):
    rows = [_line_row(), _line_row()]
    response = finance.post(reverse("budget:import_lines"), {"file": _xlsx(LINE_HEADERS, rows)})
    assert [e[:2] for e in _errors(response)] == [(3, "摘要")]
