"""The statistics page: the roles that file or read the station's statistics get it, others 403;
it reads only the station the user works in; each number opens the stays behind it; a wrong
period is a 400 that says why in Chinese; the downloads are the same tables."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Stay
from tests.factories import StayFactory

URL = "/dashboards/statistics/"


def _stay(station, day: date, name: str, left: date | None = None) -> Stay:
    return StayFactory(
        station=station,
        admitted_on=day,
        left_on=left,
        source="police",
        person__name=name,
        person__gender="male",
    )


@pytest.fixture
def records(station, other_station):
    _stay(station, date(2024, 3, 1), "株洲甲", left=date(2024, 3, 4))
    _stay(station, date(2024, 5, 1), "株洲乙", left=date(2024, 5, 2))
    _stay(other_station, date(2024, 3, 1), "湘潭甲", left=date(2024, 3, 9))


def test_the_url_is_the_pages():
    assert reverse("dashboards:statistics") == URL


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("station_staff", 200),
        ("supervisor", 200),
        ("bureau_supervisor", 200),
        ("admin", 200),
        ("minors_worker", 403),
        ("finance_officer", 403),
    ],
)
def test_the_roles_that_file_or_read_the_statistics_get_the_page(client_for, role, status):
    assert client_for(role).get(URL, {"year": 2024}).status_code == status
    for fmt in ("xlsx", "pdf"):
        download = client_for(role).get(f"{URL}{fmt}/", {"year": 2024})
        assert download.status_code == status, fmt


def test_anonymous_visitors_log_in_first(db):
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_counts_only_the_current_stations_stays(client_for, records):
    response = client_for("supervisor").get(URL, {"year": 2024})
    stats = response.context["stats"]
    assert stats.intakes == 2
    assert stats.person_days == 3 + 1
    html = response.content.decode()
    assert "湘潭" not in html
    assert "株洲市救助管理站救助管理工作统计表" in html


def test_each_number_opens_the_stays_behind_it(client_for, records):
    client = client_for("supervisor")
    html = client.get(URL, {"year": 2024}).content.decode()
    links = [unescape(h) for h in re.findall(r'href="(/cases/stays/\?[^"]+)"', html)]
    row = next(h for h in links if "row=by_source%3Apolice" in h and "counted=intakes" in h)
    assert "start=2024-01-01" in row and "end=2024-12-31" in row
    listed = client.get(row)
    assert listed.status_code == 200
    assert [s.person.name for s in listed.context["page_obj"]] == ["株洲乙", "株洲甲"]
    march = next(h for h in links if "start=2024-03-01" in h and "end=2024-03-31" in h)
    assert [s.person.name for s in client.get(march).context["page_obj"]] == ["株洲甲"]


def test_a_reader_of_no_stays_sees_numbers_without_links(client_for, records):
    html = client_for("bureau_supervisor").get(URL, {"year": 2024}).content.decode()
    assert "/cases/stays/" not in html
    assert "按性别分" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2024-03-02", "end": "2024-03-01"}, "截止日期不能早于起始日期"),
        ({"start": "2024-03-02"}, "请选择年度，或同时填写起始日期和截止日期"),
        ({"start": "2000-01-01", "end": "2024-01-01"}, "统计期间最长为5年"),
        ({"year": "1800"}, "统计期间须在1900年至"),
        ({"start": "not-a-day", "end": "2024-01-01"}, "起始日期"),
    ],
)
def test_a_wrong_period_is_a_400_that_says_why(client_for, query, message):
    response = client_for("station_staff").get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert client_for("station_staff").get(f"{URL}xlsx/", query).status_code == 400


def test_the_dates_choose_any_period(client_for, records):
    response = client_for("station_staff").get(URL, {"start": "2024-03-01", "end": "2024-03-02"})
    assert response.status_code == 200
    assert (response.context["stats"].intakes, response.context["stats"].person_days) == (1, 2)


def test_the_workbook_is_the_pages_tables_filled_in_by_the_reader(client_for, records, users):
    users["supervisor"].first_name = "站长"
    users["supervisor"].save()
    response = client_for("supervisor").get(f"{URL}xlsx/", {"year": 2024})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert next(r[1:] for r in values if r[0] == "合计") == (2, 4)
    assert any(r[1] == "填报人：站长" for r in values)


def test_the_pdf_downloads(client_for, records):
    response = client_for("station_staff").get(f"{URL}pdf/", {"year": 2024})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_unknown_format_is_404(client_for):
    assert client_for("station_staff").get(f"{URL}doc/", {"year": 2024}).status_code == 404
