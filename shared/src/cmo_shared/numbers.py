"""Numbers as JSON has them: the JSON schema's `integer` and `number`, and nothing else.

Pydantic alone also reads `"5"` and `true` as numbers, which the documents do not allow.
"""

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema


def _whole_number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("a JSON integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("a whole number")
        return int(value)
    return value


WHOLE_NUMBER = BeforeValidator(_whole_number)
"""Put after an `int`'s constraints: `Annotated[int, Field(ge=1), WHOLE_NUMBER]`."""
JsonInt = Annotated[int, WHOLE_NUMBER]
"""An integer as JSON Schema means it: `5` and `5.0`, but neither `"5"` nor `true`."""


def _number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("a JSON number")
    return value


NUMBER = BeforeValidator(_number)
"""Put after a `float`'s constraints: a number as JSON has it, `20` or `20.5`, not `"20"`."""


def decimal_string(
    *, digits: int, places: int, positive: bool = False, what: str = "number", example: str = "1"
) -> Any:
    """An exact decimal given as a string: `digits` before the point, up to `places` after.

    The schema is a string pattern, so clients and fuzzers can tell valid from invalid.
    """
    fraction = rf"(\.\d{{1,{places}}})?" if places else ""
    zero = rf"(?!0+(\.0{{1,{places}}})?$)" if positive else ""
    pattern = rf"^{zero}\d{{1,{digits}}}{fraction}$"
    compiled = re.compile(pattern)

    def parse(value: object) -> Decimal:
        if isinstance(value, Decimal) and compiled.fullmatch(str(value)):
            return value
        if not isinstance(value, str) or not compiled.fullmatch(value):
            sign = "a positive" if positive else "an" if what[0] in "aeiou" else "a"
            raise ValueError(
                f'{sign} {what} as a string like "{example}": at most {digits} digits '
                f"before the point and {places} after"
            )
        return Decimal(value)

    schema = {"type": "string", "pattern": pattern, "examples": [example]}
    return Annotated[Decimal, BeforeValidator(parse), WithJsonSchema(schema)]


Quantity = decimal_string(digits=9, places=3, positive=True, what="quantity", example="1200")
"""A positive quantity of some unit, exact, with up to three decimals (`"12.5"` tonnes)."""
