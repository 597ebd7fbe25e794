"""Request and response bodies of the fair delegations API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from cmo_shared.http import IsoDate, Page
from cmo_shared.money import PositiveAmount
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .domain import DelegationStatus


class DelegationWrite(BaseModel):
    """A delegation to a fair or exhibition."""

    model_config = ConfigDict(extra="forbid")

    fair: text(300) = Field(description="e.g. `Anuga 2027`.")
    city: text(200)
    starts_on: IsoDate
    ends_on: IsoDate
    stand_area_m2: Annotated[Decimal, Field(gt=0, le=100_000, decimal_places=2)]
    total_cost: PositiveAmount = Field(description="Stand, travel and fees, GEL.")
    cofinancing_share: Annotated[Decimal, Field(ge=0, le=1, decimal_places=4)] = Field(
        Decimal(0), description="Share a donor or agency covers (0-1)."
    )
    cofinanced_by: text(300) | None = Field(None, description="e.g. `Enterprise Georgia`.")
    places: int = Field(ge=1, le=1000, description="Member companies that can go.")

    @model_validator(mode="after")
    def _dates(self) -> "DelegationWrite":
        if self.ends_on < self.starts_on:
            raise ValueError("a fair ends on or after the day it starts")
        return self


class ApplicationWrite(BaseModel):
    """A member's application."""

    model_config = ConfigDict(extra="forbid")

    member_id: text(100)
    motivation: text(2000)


class ScoreWrite(BaseModel):
    """Staff's score of an application."""

    model_config = ConfigDict(extra="forbid")

    score: Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]


class ApplicationRead(BaseModel):
    """An application and how it fared."""

    model_config = ConfigDict(from_attributes=True)

    member_id: str
    legal_name: str
    motivation: str
    applied_at: datetime
    score: Decimal | None
    rank: int | None
    selected: bool
    share: Decimal | None = Field(description="Its share of the cost after co-financing, GEL.")


class DelegationRead(BaseModel):
    """A delegation."""

    model_config = ConfigDict(from_attributes=True)

    delegation_id: str
    fair: str
    city: str
    starts_on: date
    ends_on: date
    stand_area_m2: Decimal
    total_cost: Decimal
    cofinancing_share: Decimal
    cofinanced_by: str | None
    members_cost: Decimal = Field(description="What the members pay together, GEL.")
    places: int
    status: DelegationStatus
    applications: list[ApplicationRead]
    created_at: datetime


class DelegationPage(Page[DelegationRead]):
    """A page of delegations."""
