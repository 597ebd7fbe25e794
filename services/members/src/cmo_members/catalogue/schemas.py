"""Request and response bodies of the catalogue API."""

from typing import Annotated

from cmo_shared.http import Page
from cmo_shared.money import Amount
from pydantic import BaseModel, ConfigDict, Field

from .domain import Availability, FundingSource

Year = Annotated[int, Field(ge=2000, le=2100)]


class CatalogueEntryRead(BaseModel):
    """A common service in a year's catalogue."""

    year: int
    slug: str = Field(description="Stable id of the service.")
    title: str = Field(description="The service as the CMO lists it.")
    group: str
    served_by: str = Field(description="The platform service that delivers it.")
    availability: Availability
    funding_source: FundingSource
    budget: str | None = Field(description="Budget in GEL, exact decimal.")


class CatalogueEntryUpdate(BaseModel):
    """What staff may change about a year's entry."""

    model_config = ConfigDict(extra="forbid")

    availability: Availability = None  # type: ignore[assignment]
    funding_source: FundingSource = None  # type: ignore[assignment]
    budget: Amount | None = Field(None, description="`null` clears the budget line.")


class SeedResult(BaseModel):
    """What seeding a year did."""

    year: int
    created: int = Field(description="Entries created; existing entries are left as they are.")


class CataloguePage(Page[CatalogueEntryRead]):
    """A page of catalogue entries."""
