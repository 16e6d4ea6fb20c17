"""The one type of a consistency finding, shared by the budget pages and the self-evaluation.

A finding names a rule by its code (``budget.over_executed``: the key of the JSON and of the
tests), how serious it is, the lines of the form it is about and a message for the user. The app
that owns a rule declares the title its code is shown under with ``register_titles``, so that a
page of one app can print the findings of another without importing its vocabulary.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise


class Severity(enum.StrEnum):
    ERROR = "error"  # the form cannot be finalised as it is (unless acknowledged)
    WARNING = "warning"


_titles: dict[str, str | Promise] = {}


def register_titles(titles: Mapping[str, str | Promise]) -> None:
    """Declare the titles of an app's finding codes; a code is declared by one app only."""
    for code, title in titles.items():
        if _titles.setdefault(code, title) is not title:
            raise ValueError(f"finding code {code} is declared twice")


def title(code: str) -> str:
    """What a finding's code is called on the pages (the code itself when undeclared)."""
    return str(_titles.get(code, code))


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    lines: tuple[str, ...]
    message: str

    @property
    def title(self) -> str:
        return title(self.code)
