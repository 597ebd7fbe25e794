"""Request and response bodies of the deliveries API."""

from datetime import datetime

from pydantic import (
    BaseModel,
    Field,
)


class DeliveryRead(BaseModel):
    """A delivery record: one message to one recipient on one channel."""

    delivery_id: str = Field(validation_alias="_id")
    event_id: str
    event_type: str
    recipient_id: str
    channel: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    topic: str | None = None


class ReplayResult(BaseModel):
    """How many dead deliveries were queued again."""

    replayed: int
