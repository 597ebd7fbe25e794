"""Request and response bodies of the tenders API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from cmo_shared.http import IsoDate, IsoDateTime, Page
from cmo_shared.money import UnitPrice
from cmo_shared.numbers import WHOLE_NUMBER, Quantity, decimal_string
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .domain import TenderStatus

TierQuantity = decimal_string(digits=9, places=3, what="quantity", example="0")


class TenderWrite(BaseModel):
    """A draft joint tender made from pools that reached their threshold."""

    model_config = ConfigDict(extra="forbid")

    title: text(200)
    description: text(8000, min_length=0) = ""
    pool_ids: list[text(100)] = Field(min_length=1, max_length=20)
    lots_by_region: bool = Field(
        False, description="One lot per pool and delivery region instead of one per pool."
    )


class OpenWrite(BaseModel):
    """When offers close."""

    model_config = ConfigDict(extra="forbid")

    deadline: IsoDateTime


class TierWrite(BaseModel):
    """A unit price that holds from a quantity up."""

    model_config = ConfigDict(extra="forbid")

    min_quantity: TierQuantity
    unit_price: UnitPrice


class LotOfferWrite(BaseModel):
    """A supplier's prices for one lot, in volume tiers."""

    model_config = ConfigDict(extra="forbid")

    lot_id: text(20)
    tiers: list[TierWrite] = Field(min_length=1, max_length=20)
    lead_time_days: Annotated[int, Field(ge=0, le=730), WHOLE_NUMBER]
    min_order_quantity: Quantity | None = None

    @field_validator("tiers")
    @classmethod
    def _distinct_tiers(cls, tiers: list[TierWrite]) -> list[TierWrite]:
        minimums = [t.min_quantity for t in tiers]
        if len(set(minimums)) != len(minimums):
            raise ValueError("two tiers start at the same quantity")
        return sorted(tiers, key=lambda t: t.min_quantity)


class OfferWrite(BaseModel):
    """A supplier's sealed offer, as staff record it from the supplier's submission."""

    model_config = ConfigDict(extra="forbid")

    supplier_id: text(100)
    valid_until: IsoDate
    lots: list[LotOfferWrite] = Field(min_length=1, max_length=50)


class AwardChoiceWrite(BaseModel):
    """A quantity of a lot awarded to a supplier, and why."""

    model_config = ConfigDict(extra="forbid")

    lot_id: text(20)
    supplier_id: text(100)
    quantity: Quantity
    reason: text(2000)


class AwardWrite(BaseModel):
    """The award of a tender's lots; lots left out are unsuccessful."""

    model_config = ConfigDict(extra="forbid")

    awards: list[AwardChoiceWrite] = Field(min_length=1, max_length=200)
    allocation_method: Literal["pro_rata", "even"] = Field(
        "pro_rata",
        description="Share each lot among its members pro rata to their quantities, or with "
        "the difference spread evenly; always within each member's own bounds.",
    )


class CancelWrite(BaseModel):
    """Why a tender is cancelled."""

    model_config = ConfigDict(extra="forbid")

    reason: text(2000)


class LotRead(BaseModel):
    """A lot in totals (members' own lines are never shown here)."""

    lot_id: str
    title: str
    category: str
    unit: str
    region: str | None
    pool_id: str
    quantity: Decimal
    min_total: Decimal
    max_total: Decimal
    members: int


class AwardRead(BaseModel):
    """A supplier's share of a lot."""

    lot_id: str
    supplier_id: str
    supplier_name: str
    quantity: Decimal
    unit_price: Decimal
    tier_min_quantity: Decimal
    reason: str


class TenderRead(BaseModel):
    """A joint tender: its lots in totals, how many offers, and the award once made."""

    tender_id: str
    title: str
    description: str
    status: TenderStatus
    pool_ids: list[str]
    deadline: datetime | None
    lots: list[LotRead]
    offers_received: int
    sealed: bool = Field(description="Offers' prices are hidden until evaluation starts.")
    awards: list[AwardRead]
    allocation_method: str
    awarded_at: datetime | None
    created_at: datetime


class TenderPage(Page[TenderRead]):
    """A page of tenders."""


class TierRead(BaseModel):
    """A tier of an offer."""

    min_quantity: Decimal
    unit_price: Decimal


class LotOfferRead(BaseModel):
    """An offer on one lot; its tiers are null while sealed."""

    lot_id: str
    tiers: list[TierRead] | None
    lead_time_days: int | None
    min_order_quantity: Decimal | None


class OfferRead(BaseModel):
    """A supplier's offer; its prices are shown to nobody until the tender is unsealed."""

    offer_id: str
    supplier_id: str
    supplier_name: str
    received_at: datetime
    revision: int
    valid_until: date
    sealed: bool
    lots: list[LotOfferRead]


class CellRead(BaseModel):
    """One supplier's offer on one lot, priced at the pooled volume."""

    supplier_id: str
    supplier_name: str
    tier_min_quantity: Decimal | None = Field(description="The tier the pooled volume reaches.")
    unit_price: Decimal | None
    total: Decimal | None
    lead_time_days: int
    min_order_quantity: Decimal | None
    feasible: bool
    remark: str | None
    best_total: bool = Field(description="Lowest feasible total of the lot.")
    fastest: bool = Field(description="Shortest feasible lead time of the lot.")


class ComparisonLotRead(BaseModel):
    """A lot's column of the comparison."""

    lot_id: str
    title: str
    unit: str
    quantity: Decimal
    offers: list[CellRead]


class ComparisonRead(BaseModel):
    """The comparison matrix: suppliers x lots at the pooled volumes."""

    tender_id: str
    lots: list[ComparisonLotRead]


class DeadlineReportRead(BaseModel):
    """What a run of the deadline job did."""

    evaluations_started: int
