"""Request and response bodies of the support-services API."""

from datetime import date, datetime
from typing import Annotated, Literal

from cmo_shared.http import IsoDate, Page
from cmo_shared.numbers import WHOLE_NUMBER
from cmo_shared.text import text
from cmo_shared.vocabulary import Email
from pydantic import BaseModel, ConfigDict, Field

from .domain import ProviderStatus, RequestStatus, ServiceType


class ProviderWrite(BaseModel):
    """A vetted provider added to the registry."""

    model_config = ConfigDict(extra="forbid")

    name: text(200)
    service_types: list[ServiceType] = Field(min_length=1, max_length=5)
    standards: list[text(60)] = Field(
        default_factory=list, max_length=30, description="e.g. `ISO 9001`, `FSSC 22000`, `HACCP`."
    )
    scope: text(2000) = Field(description="What it is accredited or able to do.")
    contact_email: Email
    accreditation_body: text(200) | None = Field(None, description="e.g. `GAC` (IAF MLA).")
    accreditation_number: text(60) | None = None
    valid_until: IsoDate | None = Field(None, description="Accreditation valid until.")


class ProviderStatusWrite(BaseModel):
    """Suspend or reactivate a provider."""

    model_config = ConfigDict(extra="forbid")

    status: Literal[ProviderStatus.ACTIVE, ProviderStatus.SUSPENDED]
    reason: text(2000)


class ProviderRead(BaseModel):
    """A vetted provider; `status` is today's (expired once its accreditation lapsed)."""

    provider_id: str
    name: str
    service_types: list[ServiceType]
    standards: list[str]
    scope: str
    contact_email: str
    accreditation_body: str | None
    accreditation_number: str | None
    valid_until: date | None
    status: ProviderStatus
    ratings: int
    score: float | None = Field(description="0-100 from members' ratings; none before one.")
    created_at: datetime


class ProviderPage(Page[ProviderRead]):
    """A page of providers."""


class SupportRequestWrite(BaseModel):
    """A member's request for a support service."""

    model_config = ConfigDict(extra="forbid")

    member_id: str
    service_type: ServiceType
    standard: text(60) | None = Field(None, description="e.g. `ISO 22000` for certification.")
    summary: text(4000) = Field(description="What the member needs.")


class SupportMove(BaseModel):
    """The next step of a request (matching has its own route)."""

    model_config = ConfigDict(extra="forbid")

    status: Literal[
        RequestStatus.TRIAGED,
        RequestStatus.ENGAGED,
        RequestStatus.COMPLETED,
        RequestStatus.DECLINED,
    ]
    note: text(2000) | None = Field(None, description="A note; the reason when declining.")


class MatchWrite(BaseModel):
    """The provider a request is routed to."""

    model_config = ConfigDict(extra="forbid")

    provider_id: text(100)


class RatingWrite(BaseModel):
    """The member's rating of a completed engagement."""

    model_config = ConfigDict(extra="forbid")

    rating: Annotated[int, Field(ge=1, le=5), WHOLE_NUMBER]
    comment: text(2000) | None = None


class SupportRequestRead(BaseModel):
    """A member's support request."""

    request_id: str
    member_id: str
    service_type: ServiceType
    standard: str | None
    summary: str
    status: RequestStatus
    provider_id: str | None
    provider_name: str | None
    rating: int | None
    comment: str | None
    created_at: datetime


class SupportRequestPage(Page[SupportRequestRead]):
    """A page of support requests."""
