"""Read the forms of a page as a browser would submit them, for tests that post what a page shows."""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: list | None = None

    def _add(self, name: str | None, value: str) -> None:
        if name and self._form is not None:
            self._form["fields"].setdefault(name, []).append(value)

    def _control(self, attrs: dict, kind: str, options: list | None = None) -> None:
        """Every named control with its kind (and a select's options), for tests that fill forms."""
        if attrs.get("name") and self._form is not None:
            self._form["controls"].append(
                {
                    "name": attrs["name"],
                    "type": "select-multiple"
                    if "multiple" in attrs and options is not None
                    else kind,
                    "value": attrs.get("value") or "",
                    "options": options if options is not None else [],
                }
            )

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": {},
                "controls": [],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            self._control(a, kind)
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a.get("name"), a.get("value") or "on")
            else:
                self._add(a.get("name"), a.get("value") or "")
        elif tag == "select":
            self._select = {"name": a.get("name"), "multiple": "multiple" in a, "options": []}
            self._control(a, "select", options=self._select["options"])
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]
            self._control(a, "textarea")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # The line break Django's widget writes after the tag is not part of the value.
            self._add(name, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]  # a browser sends the first option of a single select
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                self._add(self._select["name"], value)
            self._select = None


def page_forms(html: str) -> list[dict]:
    """Every form of the page: its action (as written), method, fields (name → list of the values a
    browser would send) and controls (every named input, select and textarea with its kind)."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, action: str) -> dict[str, list[str]]:
    """The fields of the one form of the page that posts to ``action`` ("" for the page itself)."""
    found = [f for f in page_forms(html) if f["action"] == action]
    assert len(found) == 1, f"{len(found)} forms post to {action!r}"
    return found[0]["fields"]


def error_blocks(html: str) -> str:
    """The text of the page's error blocks (the refusals shown above a form's fields)."""
    blocks = re.findall(r'<div class="form-errors"[^>]*>(.*?)</div>', html, re.S)
    return "\n".join(re.sub(r"<[^>]+>", " ", block) for block in blocks)
