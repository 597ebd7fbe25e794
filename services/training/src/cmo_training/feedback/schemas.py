"""Request and response bodies of the feedback API."""

from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field

from .domain import Kind


class FeedbackWrite(BaseModel):
    """A participant's answer to a survey of a session."""

    model_config = ConfigDict(extra="forbid")

    member_id: text(100)
    contact_id: text(100) = Field(description="The participant, as registered.")
    kind: Kind
    rating: int | None = Field(None, ge=1, le=5, description="The reaction's rating.")
    applied: bool | None = Field(None, description="The follow-up: applied at work?")
    comment: text(2000) | None = None


class SummaryRead(BaseModel):
    """Feedback summed."""

    model_config = ConfigDict(from_attributes=True)

    reactions: int
    average_rating: float | None
    follow_ups: int
    applied_share: float | None = Field(description="Share of follow-ups that applied it.")
