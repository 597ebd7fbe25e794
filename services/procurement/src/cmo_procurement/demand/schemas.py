"""Request and response bodies of the needs and pools API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from cmo_shared.http import IsoDate, Page
from cmo_shared.money import UnitPrice
from cmo_shared.numbers import WHOLE_NUMBER, Quantity
from cmo_shared.text import text
from cmo_shared.vocabulary import Region
from pydantic import BaseModel, ConfigDict, Field

from ..categories.schemas import CategoryCode, Unit
from .domain import NeedStatus, NeedTerms, PoolStatus


class BaselineWrite(BaseModel):
    """What the member pays today, against which its savings are counted."""

    model_config = ConfigDict(extra="forbid")

    unit_price: UnitPrice = Field(description="GEL per unit, exact decimal.")
    source: text(200) = Field(description="Where the price comes from, e.g. `invoice 2026-113`.")
    observed_on: IsoDate = Field(description="Date of that price.")


class NeedTermsWrite(BaseModel):
    """The terms of a need: what, how much (within the member's own bounds), by when, where."""

    model_config = ConfigDict(extra="forbid")

    category: CategoryCode
    unit: Unit
    quantity: Quantity
    min_quantity: Quantity | None = Field(
        None, description="Smallest allocation accepted; the quantity itself if not given."
    )
    max_quantity: Quantity | None = Field(
        None, description="Largest allocation accepted; the quantity itself if not given."
    )
    baseline: BaselineWrite
    wanted_by: IsoDate
    region: Region  # type: ignore[valid-type]

    def terms(self) -> NeedTerms:
        """The domain's terms."""
        return NeedTerms(
            category=self.category,
            unit=self.unit,
            quantity=self.quantity,
            min_quantity=self.quantity if self.min_quantity is None else self.min_quantity,
            max_quantity=self.quantity if self.max_quantity is None else self.max_quantity,
            baseline_unit_price=self.baseline.unit_price,
            baseline_source=self.baseline.source,
            baseline_date=self.baseline.observed_on,
            wanted_by=self.wanted_by,
            region=self.region,
        )


class NeedWrite(NeedTermsWrite):
    """A need a member states (or staff state on its behalf)."""

    member_id: str


class NeedRead(BaseModel):
    """A member's need; its baseline is shown to the member itself and staff only."""

    need_id: str
    member_id: str
    status: NeedStatus
    category: str | None
    unit: str | None
    quantity: Decimal | None
    min_quantity: Decimal | None
    max_quantity: Decimal | None
    baseline_unit_price: Decimal | None
    baseline_source: str | None
    baseline_date: date | None
    wanted_by: date | None
    region: str | None
    pool_id: str | None
    origin: dict[str, Any] | None = Field(description="The assessment answer of a draft.")
    created_at: datetime


class NeedPage(Page[NeedRead]):
    """A page of needs."""


class ThresholdWrite(BaseModel):
    """A pool's threshold: total quantity, number of members, or both must be met."""

    model_config = ConfigDict(extra="forbid")

    threshold_quantity: Quantity | None = None
    threshold_members: Annotated[int, Field(ge=1, le=10_000), WHOLE_NUMBER] | None = None


class ReasonWrite(BaseModel):
    """Why."""

    model_config = ConfigDict(extra="forbid")

    reason: text(2000)


class FillRead(BaseModel):
    """A pool's live fill, in totals only (never one member's quantities)."""

    quantity: Decimal
    min_quantity: Decimal
    max_quantity: Decimal
    members: int
    needs: int


class PoolRead(BaseModel):
    """A demand pool and how close it is to its threshold."""

    pool_id: str
    category: str
    unit: str
    status: PoolStatus
    threshold_quantity: Decimal | None
    threshold_members: int | None
    fill: FillRead
    progress: float | None = Field(
        description="Share of the threshold met, 0 to 1 (the lesser of its parts)."
    )
    tender_id: str | None
    created_at: datetime


class PoolPage(Page[PoolRead]):
    """A page of pools."""
