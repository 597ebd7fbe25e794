"""Request and response bodies of the plan API."""

from datetime import datetime
from typing import Annotated

from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .domain import Format, PlanStatus

Quarter = Annotated[str, StringConstraints(pattern=r"^\d{4}-Q[1-4]$")]


class ItemWrite(BaseModel):
    """An item of the plan."""

    model_config = ConfigDict(extra="forbid")

    topic: text(200) = Field(description="The need topic it answers, as the ranking names it.")
    format: Format
    quarter: Quarter = Field(description="Target quarter in the plan's year, e.g. `2027-Q2`.")
    budget_line: text(200) = Field(description="e.g. `membership fees`, `EU4Business grant`.")
    provider: text(300) | None = None


class ItemRead(BaseModel):
    """An item and the members whose needs it answers."""

    model_config = ConfigDict(from_attributes=True)

    item_id: str
    topic: str
    format: Format
    quarter: str
    budget_line: str
    provider: str | None
    members: list[str]


class PlanRead(BaseModel):
    """A year's training plan."""

    model_config = ConfigDict(from_attributes=True)

    year: int
    status: PlanStatus
    items: list[ItemRead]
    created_at: datetime
    published_at: datetime | None
