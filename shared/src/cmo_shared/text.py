"""Text fields whose JSON schema says exactly what is accepted.

No silent stripping: a value with leading or trailing whitespace is refused, so that a
string the schema allows is never changed into one it does not (or the other way round).
"""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

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


class Title(BaseModel):
    """A title in Georgian and English."""

    model_config = ConfigDict(extra="forbid")

    ka: text(300)
    en: text(300)


class Body(BaseModel):
    """A longer text in Georgian and English."""

    model_config = ConfigDict(extra="forbid")

    ka: text(20000)
    en: text(20000)
