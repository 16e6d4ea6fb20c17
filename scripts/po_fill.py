"""Fill the empty translations of a .po catalog from a JSON dict {msgid: msgstr}.

Usage: python scripts/po_fill.py APP/locale/zh_Hans/LC_MESSAGES/django.po translations.json
Clears fuzzy marks on the entries it fills and prints the msgids still without a translation.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line[line.index('"') :]) for line in lines)


def _continuation(lines: list[str], start: int) -> int:
    end = start + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    return end


def fill_entry(entry: str, translations: dict[str, str]) -> tuple[str, str | None]:
    """The entry with its msgstr filled, and the msgid when no translation was given."""
    lines = entry.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("msgid ")]
    if not starts:
        return entry, None
    end = _continuation(lines, starts[0])
    msgid = _unquote(lines[starts[0] : end])
    if msgid == "":
        return entry, None
    plural = end < len(lines) and lines[end].startswith("msgid_plural")
    head_end = _continuation(lines, end) if plural else end
    if msgid not in translations:
        empty = any(line in ('msgstr ""', 'msgstr[0] ""') for line in lines[head_end:])
        only_line = len(lines) - head_end == 1
        # makemessages marks a guessed translation fuzzy: gettext ignores it, so it is missing too.
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        return entry, msgid if (empty and only_line) or fuzzy else None
    head = [line for line in lines[:head_end] if not line.startswith("#| ")]
    head = [line.replace(", fuzzy", "") for line in head if line != "#, fuzzy"]
    key = "msgstr[0] " if plural else "msgstr "
    return "\n".join([*head, key + json.dumps(translations[msgid], ensure_ascii=False)]), None


def main(po_path: str, dict_path: str) -> None:
    translations = json.loads(Path(dict_path).read_text(encoding="utf-8"))
    text = Path(po_path).read_text(encoding="utf-8")
    entries, missing = [], []
    for entry in text.split("\n\n"):
        filled, msgid = fill_entry(entry, translations)
        entries.append(filled)
        if msgid is not None:
            missing.append(msgid)
    text = "\n\n".join(entries)
    text = text.replace("nplurals=INTEGER; plural=EXPRESSION;", "nplurals=1; plural=0;")
    text = text.replace('"Language: \\n"', '"Language: zh_Hans\\n"')
    Path(po_path).write_text(text, encoding="utf-8")
    for msgid in missing:
        print("MISSING:", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:3])
