"""Request and response bodies of the experts API."""

from typing import Annotated, Literal

from cmo_shared.http import Page
from cmo_shared.money import amount
from cmo_shared.text import text
from cmo_shared.vocabulary import Email
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Tag = text(80, lower=True)
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Availability = Literal["available", "busy", "unavailable"]


class ExpertWrite(BaseModel):
    """An engineer or technology expert in the directory."""

    model_config = ConfigDict(extra="forbid")

    name: text(200)
    email: Email
    country: Country = Field(description="ISO 3166 alpha-2, e.g. `GE`, `DE`.")
    expertise: list[Tag] = Field(min_length=1, max_length=30)
    languages: list[Language] = Field(min_length=1, max_length=10, description="ISO 639-1.")
    availability: Availability = "available"
    daily_rate: amount(digits=8) | None = None  # type: ignore[valid-type]
    rate_currency: Literal["GEL", "EUR", "USD"] = "GEL"


class ExpertRead(ExpertWrite):
    """An expert with its id; `scope` tells local (Georgia) from international."""

    model_config = ConfigDict(extra="ignore")

    expert_id: str
    scope: Literal["local", "international"]


class ExpertRequestWrite(BaseModel):
    """A member's request for an expert."""

    model_config = ConfigDict(extra="forbid")

    member_id: str
    need: text(2000)
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    expert_id: str | None = None


class MatchWrite(BaseModel):
    """The expert staff matched to a request."""

    model_config = ConfigDict(extra="forbid")

    expert_id: str


class ExpertRequestRead(BaseModel):
    """An expert request and its state."""

    request_id: str
    member_id: str
    need: str
    tags: list[str]
    expert_id: str | None
    status: Literal["open", "matched"]
    matched_by: str | None = None


class ExpertPage(Page[ExpertRead]):
    """A page of experts."""
