"""Validators shared by every app."""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID18 = re.compile(r"^\d{17}[\dX]$")
_ID15 = re.compile(r"^\d{15}$")


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a citizen ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalise_id_number(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def id_number_birth_date(value: str) -> date | None:
    """The birth date an ID number encodes (15-digit numbers carry a 2-digit 19xx year)."""
    value = normalise_id_number(value)
    try:
        if _ID18.match(value):
            return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        if _ID15.match(value):
            return date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    except ValueError:
        return None
    return None


def id_number_sex(value: str) -> str | None:
    """ "male" or "female" as the ID number's sex digit says (GB 11643: the 17th digit of an
    18-character number, the 15th of an old one; odd for a man, even for a woman)."""
    value = normalise_id_number(value)
    if _ID18.match(value):
        digit = value[16]
    elif _ID15.match(value):
        digit = value[14]
    else:
        return None
    return "male" if int(digit) % 2 else "female"


def validate_id_number(value: str) -> None:
    """A resident ID number: 18 characters with the GB 11643 check digit, or an old 15-digit one,
    whose birth date is a real day that is not in the future."""
    value = normalise_id_number(value)
    birth = id_number_birth_date(value)
    if birth is not None and birth.year < 1900:
        raise ValidationError(
            _("The birth date in this ID number is before 1900."), code="id_birth_early"
        )
    if birth is not None and birth > timezone.localdate():
        raise ValidationError(
            _("The birth date in this ID number is in the future."), code="id_birth_future"
        )
    if _ID18.match(value):
        if id_number_birth_date(value) is None:
            raise ValidationError(
                _("The birth date in this ID number does not exist."), code="id_birth_date"
            )
        if id_check_digit(value[:17]) != value[17]:
            raise ValidationError(
                _("The check digit of this ID number is wrong: please check the number."),
                code="id_check_digit",
            )
        return
    if _ID15.match(value):
        if id_number_birth_date(value) is None:
            raise ValidationError(
                _("The birth date in this ID number does not exist."), code="id_birth_date"
            )
        return
    raise ValidationError(
        _("An ID number has 18 characters (the last may be X) or 15 digits."), code="id_format"
    )


def mask_id_number(value: str | None) -> str:
    """An ID number as lists show it: the region and the last two characters only."""
    if not value:
        return ""
    value = normalise_id_number(value)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a message of our catalog.

    Django 5.2 changed the message to a ``%d`` placeholder that its zh_Hans catalog does not
    translate yet, so a station's staff were told in English why a password was refused.
    """

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
