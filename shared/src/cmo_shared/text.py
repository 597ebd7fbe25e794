"""Text and number fields whose JSON schema says exactly what is accepted.

No silent stripping: a value with leading or trailing whitespace is refused, so that a
string the schema allows is never changed into one it does not (or the other way round).
"""

from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints

# Whitespace spelled out: regex engines disagree on what `\s` covers beyond ASCII.
_EDGE = r"[^ \t\n\r\f\v]"
TRIMMED = rf"^{_EDGE}([\s\S]*{_EDGE})?$"
TRIMMED_OR_EMPTY = rf"^({_EDGE}([\s\S]*{_EDGE})?)?$"


def text(max_length: int, *, min_length: int = 1, lower: bool = False) -> Any:
    """A string of up to `max_length` characters without surrounding whitespace."""
    return Annotated[
        str,
        StringConstraints(
            min_length=min_length,
            max_length=max_length,
            pattern=TRIMMED if min_length else TRIMMED_OR_EMPTY,
            to_lower=lower,
        ),
    ]


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
