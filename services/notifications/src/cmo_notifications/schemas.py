"""Response and request bodies of the notifications API."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

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
    topic: str | None = None


Topic = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]


class ChannelChoice(BaseModel):
    """Whether a topic reaches the contact by email and in the inbox (omitted: unchanged)."""

    model_config = ConfigDict(extra="forbid")

    email: bool | None = None
    inbox: bool | None = None


class PreferencesWrite(BaseModel):
    """Channel choices per topic; mandatory topics (membership, fees, security) stay on."""

    model_config = ConfigDict(extra="forbid")

    channels: dict[Topic, ChannelChoice] = Field(max_length=50)


class PreferencesRead(BaseModel):
    """A contact's choices; topics not listed reach every channel."""

    contact_id: str
    channels: dict[str, dict[str, bool]]
    mandatory_topics: list[str]


class EndpointWrite(BaseModel):
    """A webhook endpoint of a member company or an integration."""

    model_config = ConfigDict(extra="forbid")

    owner_kind: Literal["member", "integration"]
    owner_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    owner_email: EmailStr = Field(description="Told by email if the endpoint gets disabled.")
    owner_language: Literal["ka", "en"] = "en"
    url: AnyHttpUrl
    event_types: list[Annotated[str, StringConstraints(pattern=r"^[a-z_]+\.[a-z_]+$")]] = Field(
        default_factory=list, max_length=50, description="Event types wanted; empty: all."
    )


class EndpointUpdate(BaseModel):
    """Changes to an endpoint; `enabled: true` re-enables a disabled one."""

    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl | None = None
    event_types: list[Annotated[str, StringConstraints(pattern=r"^[a-z_]+\.[a-z_]+$")]] | None = (
        None
    )
    enabled: bool | None = None


class EndpointRead(BaseModel):
    """A webhook endpoint; the secret is shown on creation and rotation only."""

    endpoint_id: str = Field(validation_alias="_id")
    owner_kind: str
    owner_id: str
    owner_email: str
    url: str
    event_types: list[str]
    enabled: bool
    disabled_reason: str | None
    failing_since: datetime | None
    created_at: datetime
    secret: str | None = Field(None, description="`whsec_…`; present only when just issued.")


class ReplayResult(BaseModel):
    """How many dead deliveries were queued again."""

    replayed: int
