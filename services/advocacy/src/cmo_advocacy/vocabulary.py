"""Request-body vocabulary every advocacy feature shares: texts in ka/en, sectors."""

from cmo_shared.nace import NaceCode
from cmo_shared.text import Body, Title
from pydantic import Field

__all__ = ["SECTORS", "Body", "Sectors", "Title"]

Sectors = list[NaceCode]
SECTORS = Field(min_length=1, max_length=30, description="NACE prefixes of the members it affects.")
