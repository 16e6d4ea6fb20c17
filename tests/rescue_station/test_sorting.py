"""Every list sorts by its column headers (rescue_station.query.SortableColumns, the sort_header
tag): the lists are the pages of the navigation that page their rows (``page_obj``), so a new
list is covered without a new test."""

from __future__ import annotations

import re
from html import unescape
from operator import attrgetter
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.db.models.expressions import OrderBy
from django.urls import NoReverseMatch, reverse

from rescue_station.roles import Role


def _nav_urls() -> list[str]:
    urls = []
    for config in apps.get_app_configs():
        for url_name, _label, _perm in getattr(config, "nav_items", []):
            try:
                urls.append(reverse(url_name))
            except NoReverseMatch:
                continue
    return urls


def _sort_links(html: str) -> list[str]:
    return [
        unescape(h)
        for h in re.findall(r'<th aria-sort="[a-z]+"><a class="sort" href="([^"]+)"', html)
    ]


@pytest.fixture
def lists(client_for, users):
    """(client, url, response) of every navigation page that is a list, each by a role that reads it."""
    found = []
    for url in _nav_urls():
        for role in [r.value for r in Role]:
            client = client_for(role)
            response = client.get(url)
            if response.status_code == 200:
                break
        else:
            continue
        if response.context and "page_obj" in response.context:
            found.append((client, url, response))
    return found


def test_every_list_of_the_navigation_has_sortable_headers(lists):
    assert len(lists) >= 12  # stays, patrols, tickets, …, access log
    bare = [url for _c, url, response in lists if not _sort_links(response.content.decode())]
    assert not bare


def test_each_header_sorts_its_list_both_ways(lists):
    for client, url, response in lists:
        for link in _sort_links(response.content.decode()):
            key = parse_qs(urlsplit(link).query)["sort"][0]
            for asked in (key, f"-{key}"):
                sorted_page = client.get(url, {"sort": asked})
                assert sorted_page.status_code == 200, (url, asked)
                page = sorted_page.context["page_obj"]
                rows = page.paginator.object_list
                if isinstance(rows, list):  # a list built in Python (the visits due)
                    values = [attrgetter(page.sorting.fields[0])(row) for row in rows]
                    assert values == sorted(values, reverse=asked.startswith("-")), (url, asked)
                    continue
                order = rows.query.order_by
                first = order[0]
                assert isinstance(first, OrderBy) and first.descending == asked.startswith("-")
                assert first.expression.name == page.sorting.fields[0], (url, asked)
                assert order[-1] in ("pk", "-pk")  # a unique tie-breaker: paging never repeats
                state = "descending" if asked.startswith("-") else "ascending"
                assert f'aria-sort="{state}"' in sorted_page.content.decode(), (url, asked)


def test_a_list_keeps_its_own_order_without_a_sort(client_for):
    response = client_for("station_staff").get(reverse("cases:ticket_list"))
    first, tie = response.context["page_obj"].paginator.object_list.query.order_by
    assert (first.expression.name, first.descending, tie) == ("received_on", True, "-pk")
    assert 'aria-sort="none"' in response.content.decode()
    assert 'aria-sort="ascending"' not in response.content.decode()


def test_an_unknown_sort_key_answers_400(lists):
    for client, url, _response in lists:
        for bad in ("person__id_number", "-password", "nope"):
            assert client.get(url, {"sort": bad}).status_code == 400, (url, bad)


def test_a_header_keeps_the_filters_and_goes_back_to_the_first_page(client_for):
    response = client_for("station_staff").get(
        reverse("cases:ticket_list"), {"channel": "hotline", "page": "3", "sort": "deadline"}
    )
    links = _sort_links(response.content.decode())
    deadline = next(parse_qs(urlsplit(h).query) for h in links if "deadline" in h)
    assert deadline == {"channel": ["hotline"], "sort": ["-deadline"]}  # clicked again: descending
    others = [parse_qs(urlsplit(h).query) for h in links if "deadline" not in h]
    assert others and all(q["channel"] == ["hotline"] and "page" not in q for q in others)
