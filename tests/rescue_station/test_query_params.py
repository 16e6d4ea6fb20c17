"""Out-of-range numbers in query strings, filters and multi-selects answer 400 with a short message
or an empty result, never 500 (rescue_station.query), on SQLite and PostgreSQL alike; the metrics
command refuses a period outside the years a record can have."""

from __future__ import annotations

import importlib
import re

import pytest
from django import forms
from django.core.management import CommandError, call_command
from django.urls import reverse

from rescue_station.query import SEARCH_MAX_LENGTH, BoundedChoicesMixin, search_term
from rescue_station.selectors import local_today

HUGE = "1" + "0" * 30
BAD_YEARS = [HUGE, "-1", "0", "9999", "abc", "2024.5", str(2**63)]
YEAR_PAGES = [
    ("supervisor", "dashboard"),
    ("finance_officer", "dashboards:finance"),
    ("supervisor", "dashboards:region"),
    ("supervisor", "minors:figures"),
    ("minors_worker", "minors:activities"),
    ("minors_worker", "minors:activity_list"),
    ("finance_officer", "performance:monitoring_index"),
    ("finance_officer", "budget:execution"),
    ("finance_officer", "budget:execution_export"),
]
# The pages of figures: a year to come has none, so it is refused as well.
FIGURES_PAGES = [
    ("supervisor", "dashboard"),
    ("finance_officer", "dashboards:finance"),
    ("supervisor", "dashboards:region"),
    ("supervisor", "minors:figures"),
]
# The pages with a year selector (a <select name="year">).
YEAR_SELECTOR_PAGES = [
    ("supervisor", "dashboard"),
    ("finance_officer", "dashboards:finance"),
    ("supervisor", "dashboards:region"),
    ("supervisor", "minors:figures"),
    ("minors_worker", "minors:activity_list"),
    ("finance_officer", "budget:execution"),
]
SEARCH_PAGES = [
    ("station_staff", "cases:stay_list"),
    ("minors_worker", "minors:cases"),
    ("minors_worker", "minors:children"),
    ("minors_worker", "minors:reports"),
    ("minors_worker", "minors:activity_list"),
    ("finance_officer", "budget:line_list"),
    ("finance_officer", "budget:project_list"),
    ("finance_officer", "budget:expenditure_list"),
    ("supervisor", "access_log"),
]


@pytest.fixture
def production(settings):
    settings.DEBUG = False  # the 400 page as users see it


@pytest.mark.parametrize("year", BAD_YEARS)
@pytest.mark.parametrize(("role", "url_name"), YEAR_PAGES)
def test_it_answers_400_with_a_short_message_to_a_year_that_cannot_be(
    production, client_for, role, url_name, year
):
    response = client_for(role).get(reverse(url_name), {"year": year})
    assert response.status_code == 400, (url_name, year)
    assert "年份须在 1900 至" in response.content.decode()


@pytest.mark.parametrize(("role", "url_name"), FIGURES_PAGES)
def test_a_page_of_figures_answers_400_to_a_year_to_come(production, client_for, role, url_name):
    this_year = local_today().year
    response = client_for(role).get(reverse(url_name), {"year": this_year + 1})
    assert response.status_code == 400
    assert f"年份须在 1900 至 {this_year} 之间" in response.content.decode()


@pytest.mark.parametrize(("role", "url_name"), YEAR_SELECTOR_PAGES)
def test_a_year_selector_offers_only_years_its_page_accepts(client_for, role, url_name):
    client = client_for(role)
    page = client.get(reverse(url_name))
    assert page.status_code == 200
    select = re.search(r'<select[^>]*name="year"[^>]*>(.*?)</select>', page.content.decode(), re.S)
    assert select, url_name
    years = [y for y in re.findall(r'<option value="([^"]*)"', select.group(1)) if y]
    assert years, url_name
    for year in years:
        assert client.get(reverse(url_name), {"year": year}).status_code == 200, (url_name, year)


def test_the_calendar_has_no_link_to_a_month_it_would_refuse(client_for):
    client = client_for("minors_worker")
    last = local_today().year + 1
    december = client.get(reverse("minors:activities"), {"year": last, "month": 12})
    assert december.status_code == 200
    assert f"?year={last + 1}" not in december.content.decode()
    january = client.get(reverse("minors:activities"), {"year": 1900, "month": 1})
    assert january.status_code == 200 and "?year=1899" not in january.content.decode()


@pytest.mark.parametrize("month", [HUGE, "0", "13", "x"])
def test_it_answers_400_to_a_month_that_cannot_be(production, client_for, month):
    response = client_for("minors_worker").get(reverse("minors:activities"), {"month": month})
    assert response.status_code == 400
    assert "月份须在 1 至 12 之间" in response.content.decode()


@pytest.mark.parametrize(("role", "url_name"), YEAR_PAGES)
def test_it_still_answers_a_year_of_its_range(client_for, role, url_name):
    response = client_for(role).get(reverse(url_name), {"year": "2024"})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("term", ["长" * 100_000, "a\x00b", "%" * 5000, "_" * 300])
@pytest.mark.parametrize(("role", "url_name"), SEARCH_PAGES)
def test_it_answers_a_huge_or_hostile_search_with_a_list(client_for, role, url_name, term):
    response = client_for(role).get(reverse(url_name), {"q": term, "user": term})
    assert response.status_code == 200, url_name


def test_it_cuts_a_search_term_to_a_sane_length():
    assert len(search_term("长" * 100_000)) == SEARCH_MAX_LENGTH
    assert search_term(" a\x00b ") == "ab"


@pytest.mark.parametrize("value", [HUGE, str(2**63), str(-(2**63) - 1), "-1", "abc"])
@pytest.mark.parametrize(
    ("url_name", "param"),
    [("budget:line_list", "source"), ("budget:expenditure_list", "line")],
)
def test_it_answers_a_key_filter_out_of_range_with_a_list(client_for, url_name, param, value):
    response = client_for("finance_officer").get(reverse(url_name), {param: value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", [HUGE, str(2**63), str(-(2**63) - 1)])
def test_it_refuses_a_multi_select_key_out_of_range_as_an_invalid_choice(client_for, value):
    response = client_for("station_staff").post(
        reverse("cases:patrol_create"),
        {"patrol_date": "2024-05-01", "areas_covered": [value], "persons_met": "1"},
    )
    assert response.status_code == 200  # the form again, with its error
    assert "areas_covered" in response.context["form"].errors


def test_it_goes_back_only_to_a_path_of_this_site(rf):
    from rescue_station.query import safe_next

    for posted in ("cases:stay_list", "https://evil.example/", "//evil.example/x", ""):
        assert safe_next(rf.post("/", {"next": posted}), "/fallback/") == "/fallback/"
    assert safe_next(rf.post("/", {"next": "/cases/"}), "/fallback/") == "/cases/"


def _project_form_classes() -> set[type]:
    for app in ("cases", "minors", "budget", "performance", "rescue_station"):
        importlib.import_module(f"{app}.forms")

    def walk(cls: type) -> set[type]:
        found = set()
        for sub in cls.__subclasses__():
            found |= {sub} | walk(sub)
        return found

    apps = ("cases.", "minors.", "budget.", "performance.", "rescue_station.", "dashboards.")
    return {c for c in walk(forms.BaseForm) if c.__module__.startswith(apps)}


def test_every_form_with_a_model_choice_bounds_its_keys():
    unbounded = sorted(
        f"{c.__module__}.{c.__name__}"
        for c in _project_form_classes()
        if any(
            isinstance(f, forms.ModelChoiceField) for f in getattr(c, "base_fields", {}).values()
        )
        and not issubclass(c, BoundedChoicesMixin)
    )
    assert not unbounded, f"add BoundedChoicesMixin (rescue_station.query) to {unbounded}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period",
    [
        ["--year", HUGE],
        ["--year", "0"],
        ["--year", "9999"],
        ["--start", "0001-01-01", "--end", "2024-12-31"],
        ["--start", "2024-01-01", "--end", "9999-12-31"],
    ],
)
def test_the_metrics_command_refuses_a_period_outside_the_years_of_records(station, period):
    with pytest.raises(CommandError, match="1900"):
        call_command("metrics", "--station", station.code, *period)
