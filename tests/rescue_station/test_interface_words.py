"""No page shows a developer's word: every page each role reaches, in Chinese, on the demo.

The pages are found by following the links of each role's navigation (two clicks deep), so a new
page is covered without a new test. On each, the visible text must not contain a registered
metric key (``minors.care_activities``), a finding code (``weights.level1_mismatch``) or an English
string of the interface that has a Chinese translation (``Edit settings``): each of those means a
template prints a key or forgot ``{% translate %}``.
"""

from __future__ import annotations

import gettext
import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from budget import consistency
from performance import scoring
from rescue_station import registry
from rescue_station.models import User

ROOT = Path(__file__).resolve().parents[2]
ROLES = ["station_staff", "minors_worker", "finance_officer", "supervisor", "bureau_supervisor"]
# Pages that are files or actions, not pages to read.
NOT_PAGES = re.compile(
    r"\.(xlsx|pdf|json|csv|zip|png|jpe?g|webp)$|/export|/evidence|/photo|/logout"
)
# Words that are the same in Chinese text: product and format names.
SAME_IN_CHINESE = {"JSON", "PDF", "Excel", "SHA-256", "XLSX", "ID", "OK"}
# The language menu names each language in itself.
LANGUAGE_NAMES = {"English"}
PAGES_PER_ROLE = 80


class _Text(HTMLParser):
    """The text a reader sees, and the links of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _english_of_the_interface() -> set[str]:
    """English msgids of the project's catalogs whose Chinese differs (so they must not show)."""
    words = set()
    for mo in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.mo"):
        if ".venv" in mo.parts:
            continue
        with mo.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        for msgid, msgstr in catalog.items():
            if isinstance(msgid, tuple):
                msgid = msgid[0]
            if not msgid or not isinstance(msgstr, str) or msgstr == msgid:
                continue
            # Whole words of Latin letters only; placeholders make a msgid a pattern, not text.
            if (
                "%" in msgid
                or "{" in msgid
                or not re.fullmatch(r"[A-Za-z][A-Za-z ,.'-]{2,}", msgid)
            ):
                continue
            if msgid.strip(" .") not in SAME_IN_CHINESE | LANGUAGE_NAMES:
                words.add(msgid.strip())
    return words


def _developer_codes() -> set[str]:
    codes = {m.key for m in registry.all_metrics()}
    codes |= set(scoring.FINDING_TITLES) | set(consistency.FINDING_TITLES)
    return codes


def _crawl(
    client: Client, start: list[str], statuses: dict[str, tuple[int, str]] | None = None
) -> dict[str, str]:
    """The visible text of each page reached from ``start`` (two links deep); ``statuses``
    receives each URL's status and the page that linked to it."""
    seen: dict[str, str] = {}
    came_from = dict.fromkeys(start, "")
    queue = list(start)
    depth = dict.fromkeys(start, 0)
    shapes = set()  # /budget/lines/7/ and /budget/lines/8/ are one template: read one of them
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if statuses is not None:
            statuses[url] = (response.status_code, came_from[url])
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            seen[url] = ""
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        seen[url] = " ".join(" ".join(parser.parts).split())
        if depth[url] >= 2:
            continue
        for href in parser.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if NOT_PAGES.search(parts.path) or parts.path.startswith("/admin/"):
                continue
            target = parts.path
            shape = re.sub(r"\d+", "N", target)
            if shape in shapes:
                continue
            shapes.add(shape)
            if target not in depth:
                depth[target] = depth[url] + 1
                came_from[target] = url
                queue.append(target)
    return seen


@pytest.fixture
def demo(settings):
    settings.DEMO_PASSWORD = "demo-words-pass"
    call_command("load_demo", "--allow-without-debug", stdout=StringIO())


@pytest.mark.django_db
def test_it_shows_no_key_code_or_english_word_on_any_page_of_any_role(demo):
    codes = _developer_codes()
    english = _english_of_the_interface()
    assert "weights.level1_mismatch" in codes and "minors.care_activities" in codes
    assert "Edit settings" in english  # the check would see an untranslated page
    found = []
    crawled = 0
    for role in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=role))
        home = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        parser = _Text()
        parser.feed(home.content.decode())
        start = ["/", *(h for h in parser.links if h.startswith("/") and not NOT_PAGES.search(h))]
        for url, text in _crawl(client, start).items():
            crawled += 1
            for code in codes:
                if re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", text):
                    found.append(f"{role} {url}: key {code}")
            for word in english:
                if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                    found.append(
                        f"{role} {url}: English {word!r} in …{text[max(0, text.find(word) - 80) : text.find(word) + 40]}…"
                    )
    assert crawled > 40
    assert not found, "\n".join(sorted(set(found)))


@pytest.mark.django_db
def test_it_shows_each_role_only_links_it_may_follow(demo):
    """A link on a role's page leads to a page that role may open: no edit button that answers
    403 (a supervisor reads the minors' records and must not be offered their forms)."""
    refused = []
    for role in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=role))
        home = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        parser = _Text()
        parser.feed(home.content.decode())
        start = ["/", *(h for h in parser.links if h.startswith("/") and not NOT_PAGES.search(h))]
        statuses: dict[str, tuple[int, str]] = {}
        _crawl(client, start, statuses)
        assert len(statuses) > 10
        refused += [
            f"{role}: {url} (linked from {came})"
            for url, (status, came) in statuses.items()
            if status == 403
        ]
    assert not refused, "\n".join(refused)
