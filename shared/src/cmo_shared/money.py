"""Amounts of money: decimal strings with at most two decimals, never binary floats.

The JSON schema says exactly what is accepted (a string matching a pattern), so that clients
and API fuzzers can tell a valid amount from an invalid one without trying.
"""

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema


def amount(*, digits: int = 12, positive: bool = False) -> Any:
    """An amount type: up to `digits` digits before the point and two after (`"1500.00"`)."""
    pattern = rf"^\d{{1,{digits}}}(\.\d{{1,2}})?$"
    if positive:
        pattern = rf"^(?!0+(\.0{{1,2}})?$)\d{{1,{digits}}}(\.\d{{1,2}})?$"
    compiled = re.compile(pattern)

    def parse(value: object) -> Decimal:
        if isinstance(value, Decimal) and compiled.fullmatch(str(value)):
            return value
        if not isinstance(value, str) or not compiled.fullmatch(value):
            sign = "a positive" if positive else "an"
            raise ValueError(
                f'{sign} amount as a string like "1500.00": at most {digits} digits '
                "before the point and two after"
            )
        return Decimal(value)

    schema = {"type": "string", "pattern": pattern, "examples": ["1500.00"]}
    return Annotated[Decimal, BeforeValidator(parse), WithJsonSchema(schema)]


Amount = amount()
PositiveAmount = amount(positive=True)
