"""Response and request bodies of the notifications API."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

InboxStatus = Literal["unread", "read", "archived"]


class InboxEntryRead(BaseModel):
    """One message in a contact's in-app inbox."""

    entry_id: str = Field(validation_alias="_id")
    event_id: str
    event_type: str
    topic: str
    language: str
    title: str
    body: str
    status: InboxStatus
    created_at: datetime


class InboxPage(BaseModel):
    """A page of a contact's inbox with its counts."""

    items: list[InboxEntryRead]
    total: int = Field(description="Entries matching the filter.")
    unread: int = Field(description="Unread entries of this contact.")
    page: int
    page_size: int


class InboxStatusUpdate(BaseModel):
    """Mark an inbox entry read, unread or archived."""

    model_config = ConfigDict(extra="forbid")

    status: InboxStatus


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
