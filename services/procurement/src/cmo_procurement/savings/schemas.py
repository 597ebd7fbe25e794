"""Response bodies of the allocations and savings API."""

from datetime import datetime
from decimal import Decimal

from cmo_shared.http import Page
from pydantic import BaseModel, Field


class AllocationLineRead(BaseModel):
    """What one supplier delivers to the member, and what that saves."""

    supplier_id: str
    supplier_name: str
    quantity: Decimal
    unit_price: Decimal
    savings: Decimal


class AllocationRead(BaseModel):
    """A member's allocation in an awarded lot, its price and its saving."""

    allocation_id: str
    tender_id: str
    tender_title: str
    lot_id: str
    member_id: str
    category: str
    unit: str
    need_ids: list[str]
    requested_quantity: Decimal
    allocated_quantity: Decimal
    baseline_unit_price: Decimal = Field(description="The member's own price, GEL per unit.")
    unit_price: Decimal = Field(description="Average awarded price of the allocation.")
    lines: list[AllocationLineRead]
    savings: Decimal = Field(description="(baseline - awarded price) x quantity, GEL.")
    planned_savings: Decimal | None = Field(
        description="What the requested quantity would save at the comparison's best price."
    )
    year: int
    awarded_at: datetime


class AllocationPage(Page[AllocationRead]):
    """A page of allocations."""


class ReportRowRead(BaseModel):
    """Savings summed over a member, category, supplier or year."""

    key: str = Field(description="The member id, category code, supplier id or year.")
    allocations: int
    quantity: Decimal
    planned_savings: Decimal
    savings: Decimal


class SavingsReport(BaseModel):
    """Savings planned and realised, grouped, with the total."""

    year: int | None
    group_by: str
    rows: list[ReportRowRead]
    total_planned_savings: Decimal
    total_savings: Decimal
    currency: str = "GEL"
