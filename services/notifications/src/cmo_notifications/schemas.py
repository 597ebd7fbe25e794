"""Response and request bodies of the notifications API."""

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cmo_shared.http import Page
from cmo_shared.numbers import WHOLE_NUMBER, JsonInt
from cmo_shared.vocabulary import Email
from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
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

    email: StrictBool | None = None
    inbox: StrictBool | None = None


class QuietHours(BaseModel):
    """Local hours during which non-urgent email waits (may span midnight, e.g. 22 to 8)."""

    model_config = ConfigDict(extra="forbid")

    start_hour: JsonInt = Field(ge=0, le=23)
    end_hour: JsonInt = Field(ge=0, le=23)

    @model_validator(mode="after")
    def _not_empty(self) -> "QuietHours":
        if self.start_hour == self.end_hour:
            raise ValueError("start_hour and end_hour must differ")
        return self


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc
    return name


class PreferencesWrite(BaseModel):
    """Channel choices per topic (mandatory topics stay on), digest and quiet hours."""

    model_config = ConfigDict(extra="forbid")

    channels: dict[Topic, ChannelChoice] = Field(default_factory=dict, max_length=50)
    digest: StrictBool | None = Field(
        None, description="Gather low-priority email (news) into one daily email."
    )
    digest_hour: Annotated[int, Field(ge=0, le=23), WHOLE_NUMBER] | None = Field(
        None, description="Local hour of the digest."
    )
    quiet_hours: QuietHours | None = None
    timezone: Annotated[str, AfterValidator(_known_zone)] | None = Field(
        None, description="IANA zone of the hours; `Asia/Tbilisi` by default."
    )


class PreferencesRead(BaseModel):
    """A contact's choices; topics not listed reach every channel."""

    contact_id: str
    channels: dict[str, dict[str, bool]]
    mandatory_topics: list[str]
    digest: bool = False
    digest_hour: int = 18
    quiet_hours: QuietHours | None = None
    timezone: str = "Asia/Tbilisi"


EventType = Annotated[str, StringConstraints(pattern=r"^[a-z_]+\.[a-z_]+$")]


class EndpointWrite(BaseModel):
    """A webhook endpoint of a member company or an integration."""

    model_config = ConfigDict(extra="forbid")

    owner_kind: Literal["member", "integration"]
    owner_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    owner_email: Email = Field(description="Told by email if the endpoint gets disabled.")
    owner_language: Literal["ka", "en"] = "en"
    url: AnyHttpUrl
    event_types: list[EventType] = Field(
        default_factory=list, max_length=50, description="Event types wanted; empty: all."
    )


class EndpointUpdate(BaseModel):
    """Changes to an endpoint; `enabled: true` re-enables a disabled one."""

    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl = None  # type: ignore[assignment]
    event_types: list[EventType] = None  # type: ignore[assignment]
    enabled: StrictBool = None  # type: ignore[assignment]


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


class DigestResult(BaseModel):
    """How many digests a run created."""

    digests: int
