"""Plausible values: the rules every record's dates and texts obey, written once.

``rescue_station.models.Plausible`` runs them in ``clean_fields``, so that they hold wherever
``full_clean`` runs: the services (``save_audited``), the ModelForms (their ``_post_clean``) and
the imports, which validate each row through the same models.

Dates are of three kinds (``DateKind``), named per model in ``date_kinds`` (anything not named
is a date of something that happened, the safe default for a new field):

- *happened*: not in the future (beyond ``CLOCK_SKEW``) and not before ``EARLIEST``;
- *planned*: a deadline or a planned date, at most ``PLANNED_YEARS_AHEAD`` years ahead;
- *period*: the bound of a period that may end later (until when a follow-up runs), with the
  bounds of a planned date.

Fields the services derive from another one (``editable=False``, ``auto_now_add``) follow the
field they come from and are not checked again.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1900, 1, 1)
# Clocks of the clerks' computers and of the server disagree by a little.
CLOCK_SKEW = timedelta(minutes=5)
PLANNED_YEARS_AHEAD = 5

# Notes and other long texts; a TextField without its own max_length gets this one.
TEXT_MAX_LENGTH = 5000

# C0 controls but tab and line breaks, DEL, C1 controls, and the bidirectional formatting
# characters that make a text display other than it is stored (U+202A–U+202E, U+2066–U+2069,
# and the marks U+200E, U+200F, U+061C).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


class DateKind(StrEnum):
    HAPPENED = "happened"
    PLANNED = "planned"
    PERIOD = "period"


def _selectors() -> Any:
    """The core selectors, for their ``local_today`` (the one "today"), imported when called:
    the models import this module and the selectors import the models."""
    from . import selectors

    return selectors


def latest_planned(today: date | None = None) -> date:
    """The last day a planned date may fall on."""
    today = today or _selectors().local_today()
    try:
        return today.replace(year=today.year + PLANNED_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + PLANNED_YEARS_AHEAD, day=28)


def _day(value: date) -> str:
    return date_format(value, "Y-m-d")


def check_date(value: date | datetime | None, kind: DateKind = DateKind.HAPPENED) -> None:
    """Refuse a date (or a date and time) outside the bounds of its kind.

    Compares without converting to another time zone, so that year 1 and year 9999 are refused
    with a message rather than an OverflowError."""
    if value is None:
        return
    if value.year < EARLIEST.year:
        raise ValidationError(
            _("A date before %(earliest)s is not plausible: please check the year."),
            code="date_too_early",
            params={"earliest": _day(EARLIEST)},
        )
    if kind == DateKind.HAPPENED:
        if isinstance(value, datetime):
            latest = timezone.now() + CLOCK_SKEW
            if timezone.is_naive(value):
                latest = timezone.make_naive(latest)
            if value > latest:
                raise ValidationError(
                    _("This date and time is in the future."), code="date_in_future"
                )
        elif value > _selectors().local_today():
            raise ValidationError(_("This date is in the future."), code="date_in_future")
        return
    day = value.date() if isinstance(value, datetime) else value
    latest_day = latest_planned()
    if day > latest_day:
        raise ValidationError(
            _("A date after %(latest)s is more than %(years)s years ahead: please check the year."),
            code="date_too_late",
            params={"latest": _day(latest_day), "years": PLANNED_YEARS_AHEAD},
        )


def check_text(value: str | None, *, max_length: int | None = None) -> None:
    """Refuse control characters (but tab and line breaks) and a text above ``max_length``."""
    if not value:
        return
    found = _FORBIDDEN.search(value)
    if found:
        char = found.group()
        raise ValidationError(
            _(
                "This text contains an invisible control character (U+%(code)s %(name)s): "
                "remove it, for example by typing the text again instead of pasting it."
            ),
            code="control_character",
            params={"code": f"{ord(char):04X}", "name": unicodedata.name(char, "")},
        )
    if max_length is not None and len(value) > max_length:
        raise ValidationError(
            _("At most %(limit)s characters (this text has %(length)s)."),
            code="text_too_long",
            params={"limit": max_length, "length": len(value)},
        )


def local_date(value: datetime) -> date:
    """The local date of a moment; a moment at the edge of the calendar (year 1 or 9999, which
    the rules refuse) keeps its own date instead of overflowing in the conversion."""
    try:
        return timezone.localtime(value).date()
    except OverflowError:
        return value.date()


def check_identity(record: Any) -> None:
    """The birth date and sex a record's ID number encodes (GB 11643) agree with the birth date
    and gender entered; an empty birth date or an unknown gender is filled from the number.

    ``record`` has ``id_number``, ``birth_date`` and ``gender`` (a person, a registered child)."""
    from .validators import id_number_birth_date, id_number_sex, normalise_id_number

    number = normalise_id_number(record.id_number or "")
    if not number:
        return
    errors = {}
    encoded = id_number_birth_date(number)
    if encoded is not None:
        if record.birth_date is None:
            record.birth_date = encoded
        elif record.birth_date != encoded:
            errors["birth_date"] = ValidationError(
                _("The ID number gives the birth date %(encoded)s, not the one entered."),
                code="id_birth_date_differs",
                params={"encoded": _day(encoded)},
            )
    sex = id_number_sex(number)
    if sex is not None:
        if record.gender in ("", "unknown"):
            record.gender = sex
        elif record.gender != sex:
            errors["gender"] = ValidationError(
                _(
                    "The ID number is a man's (its sex digit is odd): the gender entered is not male."
                )
                if sex == "male"
                else _(
                    "The ID number is a woman's (its sex digit is even): "
                    "the gender entered is not female."
                ),
                code="id_sex_differs",
            )
    if errors:
        raise ValidationError(errors)
