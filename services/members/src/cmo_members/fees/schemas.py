"""Request and response bodies of the fees API."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from cmo_shared.http import Page
from cmo_shared.money import PositiveAmount
from cmo_shared.numbers import JsonInt
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .domain import InvoiceStatus, SizeTier

Year = Annotated[int, Field(ge=2000, le=2100)]
Money = PositiveAmount


class ScheduleWrite(BaseModel):
    """The yearly fee of each size tier, in GEL."""

    model_config = ConfigDict(extra="forbid")

    tiers: dict[SizeTier, Money] = Field(
        description="Fee per tier: micro (<10 employees), small (<50), medium (<250), large.",
        examples=[{"micro": "300.00", "small": "900.00", "medium": "2400.00", "large": "6000"}],
        json_schema_extra={"required": [tier.value for tier in SizeTier]},
    )
    due_days: JsonInt = Field(30, ge=0, le=365, description="Days from issue until due.")

    @field_validator("tiers")
    @classmethod
    def _every_tier_priced(cls, tiers: dict[SizeTier, Decimal]) -> dict[SizeTier, Decimal]:
        missing = [t.value for t in SizeTier if t not in tiers]
        if missing:
            raise ValueError(f"no fee for tiers {', '.join(missing)}")
        return tiers


class ScheduleRead(BaseModel):
    """A year's fee schedule."""

    year: int
    tiers: dict[str, str]
    due_days: int


class InvoiceRunResult(BaseModel):
    """What an invoice run did."""

    year: int
    issued: int = Field(description="Invoices issued by this run.")
    already_issued: int = Field(description="Members who had this year's invoice already.")


class PaymentWrite(BaseModel):
    """A payment received, in full or as an instalment."""

    model_config = ConfigDict(extra="forbid")

    amount: Money = Field(description="Amount in GEL, at most two decimals.")
    reference: str | None = Field(None, max_length=200, description="Bank reference.")


class PaymentRead(BaseModel):
    """A payment recorded against an invoice."""

    amount: str
    reference: str | None
    recorded_by: str


class InvoiceRead(BaseModel):
    """A member's yearly fee invoice."""

    invoice_id: str
    member_id: str
    year: int
    size_tier: str
    amount: str = Field(description="Amount invoiced in GEL (exact decimal).")
    outstanding: str = Field(description="Amount still due in GEL.")
    due_date: date
    status: InvoiceStatus
    payments: list[PaymentRead]


class ArrearsResult(BaseModel):
    """What a run of the arrears job changed."""

    as_of: date
    entered_grace: int
    suspended: int
    reinstated: int


class InvoicePage(Page[InvoiceRead]):
    """A page of invoices."""
