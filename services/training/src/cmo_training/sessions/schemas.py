"""Request and response bodies of the sessions API."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from cmo_shared.http import IsoDateTime, Page
from cmo_shared.money import Amount
from cmo_shared.text import Title, text
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from ..plan.domain import Format
from .domain import SessionStatus


class SittingWrite(BaseModel):
    """One meeting of the session (times with their zone, e.g. Tbilisi's `+04:00`)."""

    model_config = ConfigDict(extra="forbid")

    starts_at: IsoDateTime
    ends_at: IsoDateTime


class SessionWrite(BaseModel):
    """A session to schedule."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    format: Format
    topic: text(200) | None = Field(
        None, description="The need topic it answers; the plan item's if one is named."
    )
    plan_item_id: text(100) | None = Field(None, description="The plan item it delivers.")
    sittings: list[SittingWrite] = Field(min_length=1, max_length=60)
    venue: text(300) | None = None
    online_url: AnyHttpUrl | None = None
    provider: text(300) | None = None
    capacity: int = Field(ge=1, le=10_000, description="Seats in all.")
    company_cap: int = Field(ge=1, le=10_000, description="Seats one company may take.")
    price: Amount = Field(Decimal(0), description="Price per seat, GEL.")
    cofinancing_share: Annotated[Decimal, Field(ge=0, le=1)] = Field(
        Decimal(0), description="Share of the price a donor or the CMO covers (0-1)."
    )
    attendance_threshold: float = Field(
        0.8, gt=0, le=1, description="Share of the sittings that earns a certificate."
    )
    priority_hours: float = Field(
        72, ge=0, le=720, description="How long the members with a matching need go first."
    )


class SittingRead(BaseModel):
    """One sitting."""

    model_config = ConfigDict(from_attributes=True)

    sitting_id: str
    starts_at: datetime
    ends_at: datetime


class SessionRead(BaseModel):
    """A session."""

    model_config = ConfigDict(from_attributes=True)

    session_id: str
    title: dict[str, str]
    format: Format
    topic: str
    plan_item_id: str | None
    sittings: list[SittingRead]
    venue: str | None
    online_url: str | None
    provider: str | None
    capacity: int
    company_cap: int
    price: Decimal
    cofinancing_share: Decimal
    attendance_threshold: float
    status: SessionStatus
    invited: list[str] = Field(description="Members invited first for their matching needs.")
    priority_until: datetime
    sequence: int = Field(description="Raised on every change of time or place.")
    created_at: datetime


class SessionPage(Page[SessionRead]):
    """A page of sessions."""
