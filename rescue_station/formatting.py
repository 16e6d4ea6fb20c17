"""Numbers as the station's reports print them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")


def yuan_to_wan(amount: Decimal | int | None) -> Decimal | None:
    """Yuan to 万元 with 2 places, half up (1082.78 万元 is 10,827,800.00 yuan)."""
    if amount is None:
        return None
    return (Decimal(amount) / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


def wan_to_yuan(amount: Decimal | int | str) -> Decimal:
    return (Decimal(amount) * TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """numerator / denominator in percent with 2 places, half up; None for an empty denominator.

    Multiplies before dividing so that a half is not lost to a repeating quotient.
    """
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_wan(amount: Decimal | int | None) -> str:
    """Yuan shown in 万元 with 2 places ("" for no amount)."""
    wan = yuan_to_wan(amount)
    return "" if wan is None else f"{wan:,.2f}"
