"""Request and response bodies of the categories API."""

from decimal import Decimal
from typing import Annotated

from cmo_shared.numbers import WHOLE_NUMBER, Quantity
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field, StrictBool

CATEGORY_CODE = r"^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*){0,3}$"
CategoryCode = Annotated[
    str,
    Field(
        pattern=CATEGORY_CODE,
        max_length=120,
        description="Lower-case path of the vocabulary, e.g. `packaging/glass-jars`.",
    ),
]
Unit = Annotated[
    str, Field(pattern=r"^[a-z][a-z0-9 ._-]{0,29}$", description="e.g. `pieces`, `kg`, `l`.")
]
CpvCode = Annotated[str, Field(pattern=r"^\d{8}-\d$", description="CPV code, e.g. `44618100-0`.")]
Name = text(200)


class Names(BaseModel):
    """A name in Georgian and English."""

    model_config = ConfigDict(extra="forbid")

    ka: Name
    en: Name


class CategoryWrite(BaseModel):
    """A category of the vocabulary, created or replaced."""

    model_config = ConfigDict(extra="forbid")

    code: CategoryCode
    name: Names
    units: list[Unit] = Field(min_length=1, max_length=10)
    cpv: list[CpvCode] = Field(default_factory=list, max_length=10)
    threshold_quantity: Quantity | None = Field(
        None, description="Default threshold of its pools: total quantity."
    )
    threshold_members: Annotated[int, Field(ge=1, le=10_000), WHOLE_NUMBER] | None = Field(
        None, description="Default threshold of its pools: number of members."
    )
    active: StrictBool = True


class CategoryRead(BaseModel):
    """A category of the vocabulary."""

    code: str
    name: dict[str, str]
    units: list[str]
    cpv: list[str]
    threshold_quantity: Decimal | None
    threshold_members: int | None
    active: bool
