"""NACE Rev. 2, the EU's classification of economic activities that Georgia's registry uses.

Codes are checked against the 88 divisions (the first two digits); a group (`10.5`) or class
(`10.51`) is accepted when its division exists.
"""

import re
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

SECTIONS: dict[str, range | tuple[int, ...]] = {
    "A": (1, 2, 3),
    "B": (5, 6, 7, 8, 9),
    "C": range(10, 34),
    "D": (35,),
    "E": (36, 37, 38, 39),
    "F": (41, 42, 43),
    "G": (45, 46, 47),
    "H": (49, 50, 51, 52, 53),
    "I": (55, 56),
    "J": (58, 59, 60, 61, 62, 63),
    "K": (64, 65, 66),
    "L": (68,),
    "M": (69, 70, 71, 72, 73, 74, 75),
    "N": (77, 78, 79, 80, 81, 82),
    "O": (84,),
    "P": (85,),
    "Q": (86, 87, 88),
    "R": (90, 91, 92, 93),
    "S": (94, 95, 96),
    "T": (97, 98),
    "U": (99,),
}
DIVISIONS = frozenset(f"{d:02d}" for divisions in SECTIONS.values() for d in divisions)
CODE = re.compile(r"^(\d{2})(\.\d{1,2})?$")
PATTERN = rf"^({'|'.join(sorted(DIVISIONS))})(\.\d{{1,2}})?$"
"""The codes `known_nace_code` accepts, as a pattern for the API documents."""


def known_nace_code(code: str) -> str:
    """Return the code if it is a division, group or class of a known division; else raise."""
    found = CODE.match(code)
    if found is None or found.group(1) not in DIVISIONS:
        raise ValueError(f"{code!r} is not a NACE Rev. 2 code of a known division")
    return code


NaceCode = Annotated[
    str,
    StringConstraints(pattern=PATTERN),
    AfterValidator(known_nace_code),
    Field(
        description="NACE Rev. 2 code: division `10`, group `10.5` or class `10.51`.",
        examples=["10.51"],
    ),
]
"""A NACE Rev. 2 division, group or class of a known division."""
