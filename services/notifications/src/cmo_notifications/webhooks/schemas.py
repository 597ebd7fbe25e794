"""Request and response bodies of the webhooks API."""

from datetime import datetime
from typing import Annotated, Any, Literal

from cmo_shared.vocabulary import Email
from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
)

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
        default_factory=list,
        max_length=50,
        description="Event types wanted (from `GET /webhooks/event-types`); empty: every type "
        "the owner may receive.",
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


class EventTypeRead(BaseModel):
    """An event type a webhook can subscribe to, as the event catalogue describes it."""

    type: str = Field(description="The event type, e.g. `member.profile_updated`.")
    description: str
    topic: str = Field(description="The Kafka topic it travels on inside the platform.")
    visibility: Literal["members", "member", "staff"] = Field(
        description="`members`: to every member company in good standing; `member`: to the "
        "companies it is about; `staff`: to integrations only. Integrations receive all three."
    )
    member_fields: list[str] = Field(
        description="Payload fields naming the companies a `member` event is about."
    )
    schema_version: int
    payload_schema: dict[str, Any] = Field(
        description="JSON Schema of `data` in the webhook body (besides `event_id`)."
    )
