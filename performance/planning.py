"""Setting next year's targets: pure functions, no ORM.

The seed's only lost points came from a target set on one year that did not repeat (7500
person-days taken from 2023, then 5577 in 2024). A suggested target therefore looks at every year
on record, not only the last: for more-is-better lines the lowest recent actual (a target the
station met every year), for less-is-better lines the highest; exact targets (=100, =0) stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from .scoring import Comparator, plain


def suggest_target(comparator: Comparator, target: str, actuals: Sequence[Decimal | None]) -> str:
    """A target drawn from the actuals of the years on record (the current one when none)."""
    known = [a for a in actuals if a is not None]
    if comparator.is_manual_kind or comparator == Comparator.EQ or not known:
        return target
    whole = all(a == a.to_integral_value() for a in known)
    step = Decimal(1) if whole else Decimal("0.01")
    if comparator in (Comparator.GE, Comparator.GT):
        return plain(min(known).quantize(step, rounding=ROUND_DOWN))
    return plain(max(known).quantize(step, rounding=ROUND_UP))
