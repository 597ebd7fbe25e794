"""Request and response bodies of the KPI survey API."""

from datetime import datetime
from typing import Annotated

from cmo_shared.money import Amount
from cmo_shared.numbers import NUMBER, JsonInt
from cmo_shared.vocabulary import TurnoverBand
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Quarter = Annotated[str, StringConstraints(pattern=r"^\d{4}-Q[1-4]$")]


class KpiWrite(BaseModel):
    """A quarterly KPI survey."""

    model_config = ConfigDict(extra="forbid")

    revenue_band: TurnoverBand
    employees: JsonInt = Field(ge=0, le=1_000_000)
    export_share: Annotated[float, Field(ge=0, le=100), NUMBER] = Field(
        description="Share of revenue from exports, %."
    )
    investment: Amount = Field(description="GEL.")


class KpiRead(BaseModel):
    """A stored KPI survey."""

    member_id: str
    quarter: str
    revenue_band: str
    employees: int
    export_share: float
    investment: str
    submitted_at: datetime
