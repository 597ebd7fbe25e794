"""Request and response bodies of the registrations API."""

from datetime import datetime
from typing import Literal

from cmo_shared.text import text
from cmo_shared.vocabulary import Email
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from ..sessions.schemas import SittingWrite
from .domain import RegistrationStatus


class PersonWrite(BaseModel):
    """A person to register."""

    model_config = ConfigDict(extra="forbid")

    name: text(200)
    email: Email
    language: Literal["ka", "en"] = "ka"


class RegistrationWrite(BaseModel):
    """A company's people for a session, all or none."""

    model_config = ConfigDict(extra="forbid")

    member_id: text(100)
    people: list[PersonWrite] = Field(min_length=1, max_length=50)


class CancelWrite(BaseModel):
    """Why a registration is cancelled."""

    model_config = ConfigDict(extra="forbid")

    reason: text(500) = "cancelled by the member"


class SessionCancelWrite(BaseModel):
    """Why a session is called off."""

    model_config = ConfigDict(extra="forbid")

    reason: text(500)


class RescheduleWrite(BaseModel):
    """A change of a session's time or place."""

    model_config = ConfigDict(extra="forbid")

    sittings: list[SittingWrite] | None = Field(None, min_length=1, max_length=60)
    venue: text(300) | None = None
    online_url: AnyHttpUrl | None = None


class PersonRead(BaseModel):
    """A registered person."""

    model_config = ConfigDict(from_attributes=True)

    contact_id: str
    name: str
    email: str
    language: str


class RegistrationRead(BaseModel):
    """A registration."""

    model_config = ConfigDict(from_attributes=True)

    registration_id: str
    session_id: str
    member_id: str
    people: list[PersonRead]
    status: RegistrationStatus
    seats: list[int] = Field(description="Seat numbers held (confirmed or offered).")
    hold_until: datetime | None = Field(description="Until when offered seats are held.")
    reason: str | None
    registered_at: datetime
