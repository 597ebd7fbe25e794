"""Numbers as JSON has them: the JSON schema's `integer` and `number`, and nothing else.

Pydantic alone also reads `"5"` and `true` as numbers, which the documents do not allow.
"""

from typing import Annotated

from pydantic import BeforeValidator


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
