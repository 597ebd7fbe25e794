"""Request and response bodies of the members API."""

from datetime import datetime
from typing import Annotated, Literal

from cmo_shared.http import Page
from cmo_shared.nace import NaceCode
from cmo_shared.numbers import WHOLE_NUMBER, JsonInt
from cmo_shared.text import text
from cmo_shared.vocabulary import Email, Region, TurnoverBand
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StrictBool,
    StringConstraints,
)

from .domain import MemberStatus

Name = text(200)
TaxId = Annotated[
    str,
    StringConstraints(pattern=r"^\d{9}(\d{2})?$"),
    Field(description="Georgian tax id: 9 digits (companies) or 11.", examples=["204567890"]),
]


class ContactCreate(BaseModel):
    """A contact person given with an application."""

    model_config = ConfigDict(extra="forbid")

    name: Name = Field(description="Full name.")
    email: Email = Field(description="Email address.")
    role: Name | None = Field(None, description="Role in the company.")
    phone: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        None, description="Phone number."
    )
    language: Literal["ka", "en"] = Field("ka", description="Preferred language.")


Tag = text(100)
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
FoundedYear = Annotated[int, Field(ge=1800, le=2100), WHOLE_NUMBER]


class ProfileFields(BaseModel):
    """The optional parts of a member's profile."""

    model_config = ConfigDict(extra="forbid")

    turnover_band: TurnoverBand | None = Field(None, description="Annual turnover in GEL.")
    products: list[Tag] = Field(default_factory=list, max_length=50, description="Products.")
    certifications: list[Tag] = Field(
        default_factory=list, max_length=30, description="E.g. `ISO 22000`, `HACCP`."
    )
    export_markets: list[CountryCode] = Field(
        default_factory=list, max_length=100, description="ISO 3166 alpha-2 codes, e.g. `DE`."
    )
    website: HttpUrl | None = Field(None, description="Company website.")
    public_listing: StrictBool = Field(False, description="Consent to the public directory.")
    founded_year: FoundedYear | None = Field(None, description="Year operations started.")


class MemberCreate(ProfileFields):
    """An application for membership."""

    legal_name: Name = Field(description="Registered legal name.")
    tax_id: TaxId
    sector: NaceCode
    employees: int = Field(ge=0, le=1_000_000, description="Number of employees.")
    region: Region = Field(description="Region of Georgia.")
    contacts: list[ContactCreate] = Field(
        min_length=1, max_length=20, description="At least one contact person."
    )


class ContactUpdate(ContactCreate):
    """A contact in a profile update: with `contact_id` it replaces that contact."""

    contact_id: str | None = Field(None, description="Id of the contact being kept.")


class MemberUpdate(BaseModel):
    """Profile changes; only the fields given are changed (`contacts` replaces the list).

    Fields every member has cannot be cleared (`null` is refused); the optional ones can.
    """

    model_config = ConfigDict(extra="forbid")

    legal_name: Name = None  # type: ignore[assignment]
    sector: NaceCode = None  # type: ignore[assignment]
    employees: JsonInt = Field(None, ge=0, le=1_000_000)  # type: ignore[assignment]
    region: Region = None  # type: ignore[assignment]
    contacts: list[ContactUpdate] = Field(None, min_length=1, max_length=20)  # type: ignore[assignment]
    turnover_band: TurnoverBand | None = None
    products: list[Tag] = Field(None, max_length=50)  # type: ignore[assignment]
    certifications: list[Tag] = Field(None, max_length=30)  # type: ignore[assignment]
    export_markets: list[CountryCode] = Field(None, max_length=100)  # type: ignore[assignment]
    website: HttpUrl | None = None
    public_listing: StrictBool = None  # type: ignore[assignment]
    founded_year: FoundedYear | None = None


LifecycleCommand = Literal["approve", "reject", "suspend", "reinstate", "lapse", "terminate"]


class TransitionRequest(BaseModel):
    """A lifecycle command's reason."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(max_length=1000)] | None = Field(
        None, description="Why; recorded in the member's history."
    )


class ContactRead(BaseModel):
    """A contact person of a member."""

    contact_id: str
    name: str
    email: str
    role: str | None
    phone: str | None
    language: str


class HistoryRead(BaseModel):
    """One lifecycle transition."""

    from_status: MemberStatus | None
    to_status: MemberStatus
    actor: str
    reason: str | None
    at: datetime


class MemberRead(BaseModel):
    """A member company as the API shows it."""

    member_id: str
    legal_name: str
    tax_id: str
    sector: str
    employees: int
    region: str
    status: MemberStatus
    turnover_band: str | None
    products: list[str]
    certifications: list[str]
    export_markets: list[str]
    website: str | None
    public_listing: bool
    founded_year: int | None
    contacts: list[ContactRead]
    history: list[HistoryRead]
    created_at: datetime
    version: int


class MemberPage(Page[MemberRead]):
    """A page of members."""
