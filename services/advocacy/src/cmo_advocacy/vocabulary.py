"""Request-body vocabulary every advocacy feature shares: texts in Georgian and English."""

from cmo_shared.nace import NaceCode
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field


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


Sectors = list[NaceCode]
SECTORS = Field(min_length=1, max_length=30, description="NACE prefixes of the members it affects.")
