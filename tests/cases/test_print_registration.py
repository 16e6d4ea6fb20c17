"""The 求助登记表 prints the placeholder number (无名氏-YYYY-NNNN) on one line, in the PDF too."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from cases.models import Person

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")


@pytest.fixture
def unknown_stay(make_stay, station):
    person = Person.objects.create(
        station=station, identified=False, placeholder_no="无名氏-2024-0001", gender="male"
    )
    return make_stay(station, date(2024, 5, 1), person=person)


def test_the_number_cell_does_not_wrap(client_for, unknown_stay):
    url = reverse("cases:stay_print", args=[unknown_stay.pk, "registration"])
    page = client_for("station_staff").get(url).content.decode()
    cell = re.search(r'<td class="([^"]*)">无名氏-2024-0001</td>', page)
    assert cell is not None and "nowrap" in cell.group(1).split()
    # Its column is the widest of the grid, as the stylesheet sizes it.
    assert re.findall(r'<col class="([^"]*)">', page)[-1] == "c-number"


@needs_poppler
def test_the_pdf_prints_the_number_on_one_line(client_for, unknown_stay, tmp_path):
    url = reverse("cases:stay_print_pdf", args=[unknown_stay.pk, "registration"])
    pdf = tmp_path / "registration.pdf"
    pdf.write_bytes(client_for("station_staff").get(url).content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line for line in text.splitlines() if "2024-0001" in line or "无名氏" in line]
    # Broken over lines, the pieces (无名氏-, 2024-, 0001) would stand on lines of their own.
    assert len(lines) == 1 and "无名氏-2024-0001" in lines[0], lines


def test_it_prints_the_paper_forms_in_chinese_whatever_the_readers_language(
    client_for, make_stay, station
):
    stay = make_stay(station, date(2024, 5, 1))
    client = client_for("station_staff")
    client.cookies["django_language"] = "en"
    assert "Came by themselves" in client.get(reverse("cases:stay_list")).content.decode()
    page = client.get(reverse("cases:stay_print", args=[stay.pk, "registration"]))
    assert "自行求助" in page.content.decode()
