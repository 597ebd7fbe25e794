"""Amounts of money: decimal strings with at most two decimals, never binary floats.

The JSON schema says exactly what is accepted (a string matching a pattern), so that clients
and API fuzzers can tell a valid amount from an invalid one without trying.
"""

from typing import Any

from .numbers import decimal_string


def amount(*, digits: int = 12, places: int = 2, positive: bool = False) -> Any:
    """An amount type: up to `digits` digits before the point and `places` after (`"1500.00"`)."""
    return decimal_string(
        digits=digits, places=places, positive=positive, what="amount", example="1500.00"
    )


Amount = amount()
PositiveAmount = amount(positive=True)
UnitPrice = amount(digits=9, places=4, positive=True)
"""A price per unit, which may need tetri fractions (`"0.4350"` GEL a jar)."""
