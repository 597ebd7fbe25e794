"""Request and response bodies of the engagement log API."""

from datetime import date, datetime

from cmo_shared.http import IsoDate, Page
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field

from .domain import Kind, TargetKind


class EngagementWrite(BaseModel):
    """A contact with a public body, donor or IFI."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    target_kind: TargetKind
    target_body: text(300) = Field(description="e.g. `Ministry of Environmental Protection`.")
    people: list[text(200)] = Field(default_factory=list, max_length=50)
    on: IsoDate
    subject: text(1000)
    initiative_id: text(100) | None = None
    topic_id: text(100) | None = None
    position_id: text(100) | None = Field(None, description="e.g. the position submitted.")
    outcome: text(5000) | None = None
    follow_up_on: IsoDate | None = None


class EngagementRead(EngagementWrite):
    """An entry of the engagement log."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    engagement_id: str
    on: date
    follow_up_on: date | None
    logged_by: str
    logged_at: datetime


class EngagementPage(Page[EngagementRead]):
    """A page of the engagement log."""
