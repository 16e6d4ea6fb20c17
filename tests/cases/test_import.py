"""Import of an intake ledger: validated, all or nothing, preview then confirmation; and export."""

from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cases.ledger import COLUMNS
from cases.models import Person, Stay
from rescue_station.validators import id_check_digit

FIRST17 = "43020319700303123"
GOOD_ID = FIRST17 + id_check_digit(FIRST17)
BAD_ID = FIRST17 + ("0" if id_check_digit(FIRST17) != "0" else "1")


def _row(**cells):
    base = {
        "入站时间": "2024-03-01 09:30",
        "姓名": "张三",
        "身份不明": "否",
        "性别": "男",
        "出生日期": "1970-03-03",
        "估计年龄": "",
        "身份证号码": GOOD_ID,
        "籍贯": "湖南省株洲市攸县",
        "来源": "公安护送",
        "护送人/单位": "火车站派出所",
        "求助原因": "务工未果",
        "体温": "36.5",
        "健康状况": "良好",
    }
    base.update(cells)
    return [base[c] for c in COLUMNS]


def _upload(*rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("ledger.xlsx", buffer.getvalue())


def test_it_offers_the_template_to_download(client_for):
    response = client_for("station_staff").get(reverse("cases:import_template"))
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == COLUMNS


def test_a_file_with_one_bad_row_imports_nothing_and_names_row_and_column(client_for):
    client = client_for("station_staff")
    rows = [
        _row(),
        _row(姓名="李四", 身份证号码=BAD_ID),
        _row(姓名="", 身份不明="是", 身份证号码="", 出生日期="", 估计年龄="50"),
    ]
    response = client.post(reverse("cases:stay_import"), {"file": _upload(*rows)})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-errors"' in text and "身份证号码" in text and "校验位错误" in text
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "身份证号码")]
    assert "token" not in response.context
    assert not Stay.objects.exists() and not Person.objects.exists()


def test_it_refuses_unknown_values_and_future_dates_with_messages_in_chinese(client_for):
    rows = [_row(来源="飞碟"), _row(入站时间="2999-01-01", 姓名="王五", 身份证号码="")]
    response = client_for("station_staff").post(
        reverse("cases:stay_import"), {"file": _upload(*rows)}
    )
    errors = {(e.row, e.column): e.message for e in response.context["result"].errors}
    assert errors[(2, "来源")] == "无法识别的值“飞碟”。"
    assert errors[(3, "入站时间")] == "该日期时间晚于当前时间。"
    assert not Stay.objects.exists()


def test_a_good_file_is_previewed_then_imported_on_confirmation(client_for, station):
    client = client_for("station_staff")
    rows = [_row(), _row(姓名="", 身份不明="是", 身份证号码="", 出生日期="", 估计年龄="15")]
    preview = client.post(reverse("cases:stay_import"), {"file": _upload(*rows)})
    assert 'data-testid="import-preview"' in preview.content.decode()
    assert not Stay.objects.exists()
    token = preview.context["token"]
    response = client.post(reverse("cases:stay_import_confirm"), {"token": token})
    assert response.status_code == 302
    stays = Stay.objects.order_by("admitted_at", "pk")
    assert stays.count() == 2
    unknown = stays.get(person__identified=False)
    assert unknown.person.placeholder_no == "无名氏-2024-0001" and unknown.is_minor
    # The token is used once.
    assert client.post(reverse("cases:stay_import_confirm"), {"token": token}).status_code == 302
    assert Stay.objects.count() == 2


def test_the_export_neutralises_formulas_and_masks_id_numbers(client_for, make_stay, station):
    make_stay(
        station,
        date(2024, 5, 1),
        person=Person.objects.create(station=station, name="=HYPERLINK(1)", id_number=GOOD_ID),
    )
    response = client_for("station_staff").get(reverse("cases:stay_export"))
    row = next(
        load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)
    )
    assert row[1] == "'=HYPERLINK(1)"
    assert row[3] == GOOD_ID[:4] + "*" * 12 + GOOD_ID[-2:]
