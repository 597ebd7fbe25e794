"""Request and response bodies of the funding API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from cmo_shared.http import IsoDate, Page
from cmo_shared.money import amount
from cmo_shared.nace import NaceCode
from cmo_shared.numbers import NUMBER, WHOLE_NUMBER
from cmo_shared.text import text
from cmo_shared.vocabulary import Region, TurnoverBand
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
)

from .domain import CallStatus

Text = text(200)
LongText = text(8000)
Amount = amount(digits=12)
Instrument = Literal["grant", "loan", "guarantee", "equity", "technical_assistance"]
FunderKind = Literal["donor", "government", "ifi", "bank"]
Currency = Literal["GEL", "EUR", "USD"]


Employees = Annotated[int, Field(ge=0, le=1_000_000), WHOLE_NUMBER]


class Translated(BaseModel):
    """A text in Georgian and English."""

    model_config = ConfigDict(extra="forbid")

    ka: LongText
    en: LongText


def _not_below(value: Any, info: ValidationInfo, lower_field: str) -> Any:
    lower = info.data.get(lower_field)
    if value is not None and lower is not None and value < lower:
        raise ValueError(f"must not be less than {lower_field} ({lower})")
    return value


class CriteriaWrite(BaseModel):
    """Eligibility criteria; an empty list or null does not restrict."""

    model_config = ConfigDict(extra="forbid")

    sectors: list[NaceCode] = Field(default_factory=list, max_length=100)
    min_employees: Employees | None = None
    max_employees: Employees | None = None
    turnover_bands: list[TurnoverBand] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)  # type: ignore[valid-type]
    certifications: list[Text] = Field(
        default_factory=list, max_length=20, description="All are required."
    )
    min_years_in_operation: Annotated[int, Field(ge=0, le=200), WHOLE_NUMBER] | None = None
    fees_paid_up: StrictBool = Field(
        False, description="Exclude members in their fee grace period (suspended never match)."
    )
    conditions: Translated | None = Field(
        None, description="Further conditions, shown to people as written."
    )

    @field_validator("max_employees")
    @classmethod
    def _employees_range(cls, value: int | None, info: ValidationInfo) -> int | None:
        return _not_below(value, info, "min_employees")


class CallWrite(BaseModel):
    """A funding call as staff write it (a draft until published)."""

    model_config = ConfigDict(extra="forbid")

    programme: Text = Field(description="Programme, e.g. `DCFTA SME credit line`.")
    funder: Text = Field(description="Funder, e.g. `EBRD`.")
    funder_kind: FunderKind
    title: Translated
    description: Translated
    instrument: Instrument
    amount_min: Amount | None = None
    amount_max: Amount | None = None
    currency: Currency = "GEL"
    co_financing_share: Annotated[float, Field(ge=0, le=100), NUMBER] | None = Field(
        None, description="Percent."
    )
    opens_on: IsoDate = Field(description="First day to apply (Tbilisi).")
    closes_on: IsoDate = Field(description="Last day to apply (Tbilisi).")
    criteria: CriteriaWrite = Field(default_factory=CriteriaWrite)

    @field_validator("amount_max")
    @classmethod
    def _amount_range(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        return _not_below(value, info, "amount_min")

    @field_validator("closes_on")
    @classmethod
    def _date_range(cls, value: date, info: ValidationInfo) -> date:
        return _not_below(value, info, "opens_on")


class CriteriaRead(BaseModel):
    """Eligibility criteria of a call."""

    sectors: list[str]
    min_employees: int | None
    max_employees: int | None
    turnover_bands: list[str]
    regions: list[str]
    certifications: list[str]
    min_years_in_operation: int | None
    fees_paid_up: bool
    conditions: dict[str, str]


class CallRead(BaseModel):
    """A funding call."""

    call_id: str
    programme: str
    funder: str
    funder_kind: FunderKind
    title: dict[str, str]
    description: dict[str, str]
    instrument: Instrument
    amount_min: str | None = Field(description="Exact decimal.")
    amount_max: str | None = Field(description="Exact decimal.")
    currency: str
    co_financing_share: float | None
    opens_on: date
    closes_on: date
    criteria: CriteriaRead
    status: CallStatus
    published_at: datetime | None
    closed_at: datetime | None
    closed_by: str | None


class CallPage(Page[CallRead]):
    """A page of calls."""
