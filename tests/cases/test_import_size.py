"""Imports of a realistic size are bounded: a row limit refused at once, a preview of counts and
first rows and errors, not every row."""

from __future__ import annotations

import re

from django.urls import reverse

from cases.models import Stay
from tests.cases.test_import import _row, _upload


def test_a_file_above_the_row_limit_is_refused_at_once_with_the_limit(client_for, settings):
    settings.IMPORT_MAX_ROWS = 30
    rows = [_row(姓名=f"张{i}", 身份证号码="", 出生日期="") for i in range(31)]
    response = client_for("station_staff").post(
        reverse("cases:stay_import"), {"file": _upload(*rows)}
    )
    html = response.content.decode()
    assert "超过 30 行" in html
    assert 'data-testid="import-preview"' not in html
    assert not Stay.objects.exists()


def test_a_file_at_the_limit_is_previewed_with_its_count_and_first_rows(client_for, settings):
    settings.IMPORT_MAX_ROWS = 30
    settings.IMPORT_PREVIEW_ROWS = 5
    rows = [_row(姓名=f"张{i}", 身份证号码="", 出生日期="") for i in range(30)]
    response = client_for("station_staff").post(
        reverse("cases:stay_import"), {"file": _upload(*rows)}
    )
    html = response.content.decode()
    table = re.search(r'data-testid="import-preview".*?</table>', html, re.S)[0]
    assert table.count("<tr>") == 1 + 5  # the header and the first five rows
    assert "30" in html and 'data-testid="import-preview-more"' in html
    assert not Stay.objects.exists()  # nothing before the confirmation


def test_the_errors_of_a_large_file_are_counted_and_the_first_listed(client_for):
    rows = [_row(姓名=f"张{i}", 入站时间="昨天", 身份证号码="", 出生日期="") for i in range(120)]
    response = client_for("station_staff").post(
        reverse("cases:stay_import"), {"file": _upload(*rows)}
    )
    html = response.content.decode()
    table = re.search(r'data-testid="import-errors".*?</table>', html, re.S)[0]
    assert table.count("<tr>") == 1 + 100
    assert 'data-testid="import-errors-more"' in html
    assert "120" in html
