"""Every Chinese catalog is complete: a string left untranslated would show in English."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(
    p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def _entries(text: str) -> list[str]:
    return [e for e in text.split("\n\n") if re.search(r"^msgid ", e, re.M)]


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_has_a_chinese_translation(po):
    untranslated = []
    for entry in _entries(po.read_text(encoding="utf-8"))[1:]:  # the first is the header
        if "#, fuzzy" in entry or re.search(r'^msgstr(\[0\])? ""\s*\Z', entry, re.M):
            untranslated.append(entry.splitlines()[-2] if "\n" in entry else entry)
    assert not untranslated, "\n".join(untranslated)


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalog_is_compiled(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run manage.py compilemessages"
