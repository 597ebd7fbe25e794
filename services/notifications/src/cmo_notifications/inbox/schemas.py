"""Request and response bodies of the inbox API."""

from datetime import datetime
from typing import Literal

from cmo_shared.http import Page
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

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


class InboxPage(Page[InboxEntryRead]):
    """A page of a contact's inbox with its counts."""

    unread: int = Field(description="Unread entries of this contact.")


class InboxStatusUpdate(BaseModel):
    """Mark an inbox entry read, unread or archived."""

    model_config = ConfigDict(extra="forbid")

    status: InboxStatus
