"""What the hostile-input tests share: the demo loaded once per module, the form pages of a role
found by crawling its pages and completing the URL resolver's patterns, the hostile values, and the
check of what a post saved.

Nothing here lists a page or a form: the pages come from the navigation, the links of the pages and
the resolver; the forms from the HTML. A new form is covered without a new test.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_save
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from rescue_station.navigation import nav_for
from rescue_station.spreadsheets import XLSX_CONTENT_TYPE, workbook_bytes, write_sheet
from tests.html_forms import page_forms

# Pages that are files to read, not form pages: not opened while crawling (a PDF takes a second).
WORKBOOK_PAGE = re.compile(r"(template|export)")  # downloads an import is made from
FILE_PAGE = re.compile(r"(pdf|xlsx|json|export|photo|_file|evidence|download|template|print)")
# Forms that end the session or change only the session's language: posting them would stop the
# crawl's client from being the role it is.
SKIPPED_ACTIONS = {"logout", "set_language", "session_keepalive", "session_resume", "login"}
SKIPPED_PREFIXES = ("admin:", "password_")  # the Django admin's own forms; the password pages
APPS = ("rescue_station", "cases", "minors", "budget", "performance", "dashboards")


def _patterns(entries: list, namespace: str = "", prefix: str = "") -> Iterator[tuple]:
    for entry in entries:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the Django admin: reference data kept by the administrator
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner, route)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", route


def resolver_routes() -> dict[str, str]:
    """Every named URL of the project (the admin apart): name → its route, e.g. ``stays/<int:pk>/``."""
    return dict(_patterns(get_resolver().url_patterns))


def page_key(path: str) -> str | None:
    """What makes two URLs the same page: the URL name and its non-integer arguments (a kind)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    kinds = [f"{k}={v}" for k, v in sorted(match.kwargs.items()) if not isinstance(v, int)]
    return "/".join([match.view_name, *kinds])


def _demo_pk(namespace: str, before: str, parent: str | None = None) -> str | None:
    """A record's key for a route no crawled URL gave: a record of the app's model the route names
    (``reports/<int:pk>/`` in minors: a MandatoryReport; ``belongings/<int:item_pk>/``: a
    BelongingsItem), of the record ``parent`` (the path's key before it) where it has one."""
    segment = before.strip("/").split("/")[-1].rstrip("s").replace("-", "")
    if not segment or not namespace:
        return None
    models = [
        model
        for model in apps.get_app_config(namespace).get_models()
        # Not a history table's row (HistoricalMandatoryReport): its key is not the record's,
        # and on PostgreSQL, whose sequences a rollback does not reset, it is another number.
        if not model.__name__.startswith("Historical")
    ]
    named = [m for m in models if m.__name__.lower().endswith(segment)] or [
        m for m in models if m.__name__.lower().startswith(segment)
    ]
    for model in named:
        records = model._default_manager.order_by("pk")
        if parent is not None:
            for fk in (f for f in model._meta.concrete_fields if f.many_to_one):
                child = records.filter(**{fk.attname: parent}).first()
                if child is not None:
                    return str(child.pk)
        record = records.first()
        if record is not None:
            return str(record.pk)
    return None


def _fill_route(route: str, known: dict[str, str], namespace: str = "") -> str | None:
    """A URL for ``route`` whose integers come from a crawled URL of a route with the same start:
    ``stays/<int:pk>/depart/`` takes the pk of a crawled ``stays/<int:pk>/``."""
    parts = re.split(r"(<[^>]+>)", route)
    path = ""
    parent: str | None = None
    for index, part in enumerate(parts):
        if not part.startswith("<"):
            path += part
            continue
        head = "".join(parts[: index + 1])
        value = next((v for r, v in known.items() if r == head), None)
        if value is None:
            value = _demo_pk(namespace, parts[index - 1], parent)
        if value is None:
            return None
        path += value
        parent = value
    return "/" + path


def _route_values(route: str, path: str) -> dict[str, str]:
    """Each prefix of ``route`` that ends in a converter, with the value ``path`` gives it."""
    parts = re.split(r"(<[^>]+>)", route)
    regex = "".join(
        f"(?P<g{i}>[^/]+)" if p.startswith("<") else re.escape(p) for i, p in enumerate(parts)
    )
    match = re.fullmatch(regex, path.lstrip("/"))
    if not match:
        return {}
    return {
        "".join(parts[: i + 1]): match.group(f"g{i}")
        for i, p in enumerate(parts)
        if p.startswith("<")
    }


@dataclass
class FormPage:
    page: str  # the URL the form was found on
    action: str  # the URL it posts to
    key: str  # the page key of the action
    controls: list[dict]
    fields: dict[str, list[str]]


@dataclass
class Discovery:
    pages: dict[str, str] = field(default_factory=dict)  # page key → URL opened
    forms: dict[str, FormPage] = field(default_factory=dict)  # action key → its first form
    statuses: dict[str, int] = field(default_factory=dict)
    workbooks: dict[str, list[list[Any]]] = field(default_factory=dict)  # templates, exports


def _first_rows(content: bytes) -> list[list[Any]]:
    """The first rows of each sheet of a downloaded workbook: the import's header and examples."""
    workbook = load_workbook(BytesIO(content), read_only=True)
    return [
        list(row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(max_row=4, values_only=True)
    ]


def _skipped(key: str) -> bool:
    return key.startswith(SKIPPED_PREFIXES) or key.split("/")[0] in SKIPPED_ACTIONS


def skipped_page(name: str) -> bool:
    """A URL name the crawl leaves alone: a file to read, a session or password page."""
    short = name.split(":")[-1]
    return _skipped(name) or bool(FILE_PAGE.search(short) and not WORKBOOK_PAGE.search(short))


def _links(html: str) -> list[str]:
    return re.findall(r'href="(/[^"#]*)"', html)


def discover(client: Client, user: Any) -> Discovery:
    """Open the role's navigation, every page its pages link to (one URL per page key), then every
    resolver pattern not reached, its integers taken from a crawled URL of the same route start."""
    found = Discovery()
    routes = resolver_routes()
    queue = ["/", *(item.url for item in nav_for(user))]
    known: dict[str, str] = {}

    def visit(url: str) -> None:
        path = urlsplit(url).path
        key = page_key(path)
        if key is None or key in found.pages or _skipped(key):
            return
        name = key.split("/")[0].split(":")[-1]
        if FILE_PAGE.search(name) and not WORKBOOK_PAGE.search(name):
            return
        found.pages[key] = url
        response = client.get(url)
        if response.get("Content-Type", "").startswith(XLSX_CONTENT_TYPE):
            found.workbooks[key] = _first_rows(response.content)
            return
        found.statuses[key] = response.status_code
        name = key.split("/")[0]
        if name in routes:
            known.update(_route_values(routes[name], path))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return
        html = response.content.decode()
        for form in page_forms(html):
            if form["method"] != "post":
                continue
            action = form["action"] or path
            action_key = page_key(urlsplit(action).path)
            if action_key is None or _skipped(action_key):
                continue
            found.forms.setdefault(
                action_key,
                FormPage(url, urlsplit(action).path, action_key, form["controls"], form["fields"]),
            )
        queue.extend(_links(html))

    while queue:
        visit(queue.pop(0))
    for name, route in routes.items():
        if not any(k.split("/")[0] == name for k in found.pages):
            url = _fill_route(route, known, name.split(":")[0] if ":" in name else "")
            if url is not None:
                queue.append(url)
    while queue:
        visit(queue.pop(0))
    return found


# ---- hostile values

HUGE = ["1" + "0" * 30, str(2**63), str(2**31), "-1", "-99999999999", "1e400", "NaN", "½", "0x10"]
DATES = ["0001-01-01", "9999-12-31", "10000-01-01", "2024-02-30", "0000-00-00", "1899-12-31", "x"]
CONTROL = ["\x1b[31m", "\x07", "\u202e", "\x00", "\x0b", "\ufeff"]
LONG = "长" * 100_000

hostile_text = st.one_of(
    st.sampled_from(["", " ", "=1+1", "@SUM(A1)", "<script>x</script>", "'; --", LONG, *HUGE]),
    st.text(max_size=30),
    st.builds(
        lambda a, c, b: a + c + b,
        st.text(max_size=5),
        st.sampled_from(CONTROL),
        st.text(max_size=5),
    ),
)
hostile_date = st.one_of(
    st.sampled_from(DATES), st.dates().map(str), st.text(max_size=12), st.sampled_from(HUGE)
)
hostile_datetime = st.one_of(
    hostile_date.map(lambda d: f"{d}T10:00"),
    st.sampled_from(["9999-12-31T23:59", "0001-01-01T00:00", "2024-01-01T25:61"]),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
)
hostile_number = st.one_of(
    st.sampled_from(["", "0", "1", "36.5", "99999999999999999999.99", *HUGE]),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


def _xlsx_of(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    return workbook_bytes(workbook)


hostile_cell = st.one_of(
    st.sampled_from([*HUGE, *DATES, "", "=HYPERLINK(1)", LONG[:32767], "0", "-5"]),
    st.integers(min_value=-(2**62), max_value=2**62),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.text(max_size=10).filter(lambda t: t.isprintable()),
)


def _spoiled(rows: list[list[Any]]) -> st.SearchStrategy[bytes]:
    """A downloaded template or export, its rows below the header copied and some cells spoiled."""
    width = max((len(r) for r in rows), default=1) or 1
    body = [list(r) + [None] * (width - len(r)) for r in rows[1:]] or [[None] * width]

    def spoil(changes: list[tuple[int, int, Any]]) -> bytes:
        spoiled = [list(r) for r in body * 2]
        for row, column, value in changes:
            spoiled[row % len(spoiled)][column % width] = value
        return _xlsx_of([list(rows[0]) if rows else [], *spoiled])

    cell = st.tuples(st.integers(0, 7), st.integers(0, width - 1), hostile_cell)
    return st.lists(cell, min_size=1, max_size=8).map(spoil)


def file_strategy(workbooks: dict[str, list[list[Any]]]) -> st.SearchStrategy:
    contents = st.one_of(
        st.sampled_from([b"", b"\x00" * 64, b"%PDF-1.4 x", b"\x89PNG\r\n\x1a\n x", b"PK\x03\x04"]),
        st.lists(hostile_cell, min_size=1, max_size=12).map(lambda cells: _xlsx_of([cells] * 3)),
        *(_spoiled(rows) for _key, rows in sorted(workbooks.items())),
    )
    names = st.sampled_from(["a.xlsx", "a.jpg", "a.png", "a.pdf", "a.exe", "\u202e.xlsx"])
    return st.builds(SimpleUploadedFile, names, contents)


def control_strategy(control: dict, files: st.SearchStrategy) -> st.SearchStrategy:
    """Hostile values for one control of a form, or the page's own value (so that some posts get
    past the form and save, and what they save is checked)."""
    kind = control["type"]
    options = [o["value"] if o["value"] is not None else o["text"] for o in control["options"]]
    keep = st.just(control["value"])
    if kind == "hidden":
        return st.one_of(keep, keep, keep, st.sampled_from(HUGE), hostile_text)
    if kind in ("checkbox", "radio"):
        return st.sampled_from(["on", control["value"] or "on", None, "2", *HUGE[:2]])
    if kind in ("select", "select-multiple"):
        single = st.one_of(st.sampled_from(options or [""]), st.sampled_from(HUGE), hostile_text)
        if kind == "select-multiple":
            return st.lists(single, max_size=4)
        return single
    if kind == "file":
        return st.one_of(st.none(), files, files)
    if kind == "date":
        return st.one_of(keep, hostile_date)
    if kind == "datetime-local":
        return st.one_of(keep, hostile_datetime)
    if kind == "number":
        return st.one_of(keep, hostile_number)
    return st.one_of(keep, hostile_text)


def draw_post(data: st.DataObject, form: FormPage, files: st.SearchStrategy) -> dict[str, Any]:
    post: dict[str, Any] = {}
    for control in form.controls:
        value = data.draw(control_strategy(control, files), label=control["name"])
        if value is None:
            continue
        if isinstance(value, list):
            post.setdefault(control["name"], []).extend(value)
        else:
            post.setdefault(control["name"], []).append(value)
    return post


# ---- what a post saved, and whether it is valid and exportable


def _our_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in APPS and not m.__name__.startswith("Historical")
    ]


@contextmanager
def saved_records() -> Iterator[list[models.Model]]:
    """The project's records a block saved: every ``save()`` (post_save, m2m changes) and every row
    added otherwise (a bulk create), found by the highest key before and after."""
    ours = set(_our_models())
    saved: list[models.Model] = []

    def on_save(sender: type, instance: models.Model, **kwargs: Any) -> None:
        if sender in ours:
            saved.append(instance)

    def on_m2m(sender: type, instance: models.Model, **kwargs: Any) -> None:
        if type(instance) in ours:
            saved.append(instance)

    top = {m: _top(m) for m in ours}
    post_save.connect(on_save, weak=False, dispatch_uid="hostile")
    m2m_changed.connect(on_m2m, weak=False, dispatch_uid="hostile-m2m")
    try:
        yield saved
    finally:
        post_save.disconnect(dispatch_uid="hostile")
        m2m_changed.disconnect(dispatch_uid="hostile-m2m")
    for model, before in top.items():
        if _top(model) != before:
            saved.extend(model._default_manager.filter(pk__gt=before or 0)[:50])


def _top(model: type[models.Model]) -> Any:
    if not isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
        return None
    return model._default_manager.aggregate(top=models.Max("pk"))["top"]


def _as_exported(value: Any) -> Any:
    """A value as the exports write it: a moment in local time (Excel has no time zones)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def record_problems(record: models.Model) -> list[str]:
    """Why a saved record should not have been saved: its full_clean() refusal, or a value that
    Excel cannot hold."""
    problems = []
    fresh = type(record)._default_manager.filter(pk=record.pk).first()
    if fresh is None:
        return []  # removed by what saved it (a delete, a replaced line)
    try:
        fresh.full_clean()
    except ValidationError as error:
        problems.append(f"invalid {type(fresh).__name__} saved: {error.message_dict}")
    values = [
        _as_exported(getattr(fresh, f.attname))
        for f in fresh._meta.concrete_fields
        if not isinstance(f, models.FileField | models.JSONField | models.BinaryField)
    ]
    try:
        sheet = Workbook().active
        write_sheet(sheet, [f"c{i}" for i in range(len(values))], [values])
        workbook_bytes(sheet.parent)
    except Exception as error:  # openpyxl refuses what a cell cannot hold
        problems.append(f"{type(fresh).__name__} not exportable: {type(error).__name__}: {error}")
    return problems


def _stays_of(record: models.Model) -> set[int]:
    """The stays whose exported row shows the record: the stay itself or its person's stays."""
    name = type(record).__name__
    if name == "Stay":
        return {record.pk}
    if name == "Person":
        return set(record.stays.values_list("pk", flat=True))
    return set()


@dataclass
class Outcome:
    status: int | None
    problems: list[str]


def post_hostile(client: Client, url: str, post: dict[str, Any]) -> Outcome:
    """Post, in a savepoint rolled back afterwards (every example starts from the demo), and check
    the answer and every record the post saved."""
    problems: list[str] = []
    status = None
    stays: set[int] = set()
    with transaction.atomic():
        with saved_records() as saved:
            try:
                response = client.post(url, post)
                status = response.status_code
                if status >= 500:
                    problems.append(f"HTTP {status}")
                for confirm in _confirmations(response):  # an import's preview asks to confirm
                    answer = client.post(confirm["action"] or url, confirm["fields"])
                    if answer.status_code >= 500:
                        problems.append(f"confirming: HTTP {answer.status_code}")
            except Exception as error:
                problems.append(
                    "exception: " + "".join(traceback.format_exception_only(error)).strip()
                )
                problems.append(traceback.format_exc(limit=-4))
        if not problems:
            seen = set()
            for record in saved:
                key = (type(record), record.pk)
                if key in seen:
                    continue
                seen.add(key)
                problems += record_problems(record)
                stays |= _stays_of(record)
        if stays and not problems:
            problems += _stays_exportable(stays)
        transaction.set_rollback(True)
    return Outcome(status, problems)


def _confirmations(response: Any) -> list[dict]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    return [
        f
        for f in page_forms(response.content.decode())
        if f["method"] == "post" and "token" in f["fields"]
    ]


def _stays_exportable(stay_pks: set[int]) -> list[str]:
    """The stay list's Excel export (its own writer, on the stays the post saved) must still work."""
    from cases import ledger
    from cases.models import Stay

    try:
        workbook = ledger.export_workbook(
            Stay.objects.filter(pk__in=stay_pks), show_minors=True, today=timezone.localdate()
        )
        workbook_bytes(workbook)
    except Exception as error:
        return [f"stay list export: {type(error).__name__}: {error}"]
    return []
