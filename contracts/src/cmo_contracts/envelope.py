"""The envelope every event travels in, and the registry that decodes it into its typed payload."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar
from uuid import UUID, uuid5

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from .ids import new_uuid

P = TypeVar("P", bound=BaseModel)


class Payload(BaseModel):
    """Base of every event payload: immutable, and tolerant of fields added by newer producers."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Envelope(BaseModel, Generic[P]):
    """One event: identity, type, time, origin, subject and correlation around a typed payload."""

    model_config = ConfigDict(frozen=True)

    event_id: UUID = Field(
        default_factory=new_uuid,
        description="Unique id of this event; consumers deduplicate on it. A fresh one is a "
        "version 7 UUID (ordered by creation time), a derived one version 5.",
    )
    type: str = Field(description="Event type, e.g. `member.joined`.", examples=["member.joined"])
    schema_version: int = Field(1, ge=1, description="Version of the payload schema of this type.")
    occurred_at: AwareDatetime = Field(
        default_factory=lambda: datetime.now(UTC), description="When the fact happened, in UTC."
    )
    producer: str = Field(description="Service that produced the event.", examples=["members"])
    subject_id: str = Field(
        description="Id of the aggregate the event is about; also the Kafka key, so one "
        "subject's events stay in order."
    )
    correlation_id: str = Field(
        description="Id carried from the request or event that caused this one, for tracing."
    )
    payload: P = Field(description="The typed body of the event; its schema depends on `type`.")

    @field_validator("occurred_at")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)


class EventDecodeError(ValueError):
    """A message could not be decoded into a known, valid event."""


class Visibility(StrEnum):
    """Who may receive an event type outside the platform (by webhook)."""

    MEMBERS = "members"
    """Every member company in good standing, and integrations: nobody's private data."""
    MEMBER = "member"
    """The member companies the event is about (its `members` fields), and integrations."""
    STAFF = "staff"
    """The CMO's own integrations only (e.g. sealed offers, supplier records)."""
    INTERNAL = "internal"
    """Nobody: the platform's own plumbing (e.g. invitations, delivery outcomes)."""


@dataclass(frozen=True)
class EventType:
    """A registered event type: name, schema version, payload model, topic and visibility."""

    name: str
    version: int
    payload: type[Payload]
    topic: str
    description: str
    visibility: Visibility = Visibility.MEMBER
    members: tuple[str, ...] = ()
    """Payload fields naming the member companies an event of `MEMBER` visibility is about."""

    def about(self, payload: Payload) -> list[str]:
        """The member companies an event is about (none unless of `MEMBER` visibility)."""
        return [v for f in self.members if (v := getattr(payload, f, None))]


REGISTRY: dict[str, EventType] = {}


def event_type(
    name: str,
    *,
    topic: str,
    version: int = 1,
    visibility: Visibility = Visibility.MEMBER,
    members: tuple[str, ...] = ("member_id",),
) -> Callable[[type[P]], type[P]]:
    """Register a payload model under an event type name (a class decorator).

    Events are about one member company (`member_id`) unless the visibility says otherwise.
    """

    def register(model: type[P]) -> type[P]:
        if name in REGISTRY:
            raise ValueError(f"event type {name!r} registered twice")
        about = members if visibility is Visibility.MEMBER else ()
        if missing := [f for f in about if f not in model.model_fields]:
            raise ValueError(f"{name}: no payload field {missing} names the member it is about")
        description = (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else ""
        REGISTRY[name] = EventType(  # type: ignore[arg-type]
            name, version, model, topic, description, visibility, about
        )
        model.event_type_name = name  # type: ignore[attr-defined]
        return model

    return register


DERIVED_IDS = UUID("6f1c1b8e-3f0a-4c55-9a57-4c6d2f0f6a10")


def derived_event_id(*natural_key: str) -> UUID:
    """The same event id every time for the same natural key (e.g. call and member of a match)."""
    return uuid5(DERIVED_IDS, ":".join(natural_key))


def new_event(
    payload: Payload,
    *,
    producer: str,
    subject_id: str,
    correlation_id: str,
    event_id: UUID | None = None,
) -> Envelope[Any]:
    """Wrap a registered payload in an envelope; a fresh id unless one is derived."""
    registered = REGISTRY[payload.event_type_name]  # type: ignore[attr-defined]
    return Envelope[type(payload)](  # type: ignore[misc]
        event_id=event_id or new_uuid(),
        type=registered.name,
        schema_version=registered.version,
        producer=producer,
        subject_id=subject_id,
        correlation_id=correlation_id,
        payload=payload,
    )


def deliverable(owner_kind: str) -> list[EventType]:
    """The event types a webhook of a member company or an integration may subscribe to."""
    allowed = {Visibility.MEMBERS, Visibility.MEMBER}
    if owner_kind == "integration":
        allowed.add(Visibility.STAFF)
    return sorted((t for t in REGISTRY.values() if t.visibility in allowed), key=lambda t: t.name)


def topic_of(envelope: Envelope[Any]) -> str:
    """Kafka topic an event is published to."""
    return REGISTRY[envelope.type].topic


def encode(envelope: Envelope[Any]) -> bytes:
    """Serialise an envelope to JSON bytes for Kafka."""
    return envelope.model_dump_json().encode()


def decode(raw: bytes | str) -> Envelope[Any]:
    """Decode JSON bytes into an envelope whose payload is the registered model of its type."""
    try:
        generic = Envelope[dict[str, Any]].model_validate_json(raw)  # type: ignore[type-var]
    except ValidationError as exc:
        raise EventDecodeError(f"invalid envelope: {exc}") from exc
    registered = REGISTRY.get(generic.type)
    if registered is None:
        raise UnknownEventType(generic.type)
    try:
        payload = registered.payload.model_validate(generic.payload)
    except ValidationError as exc:
        raise EventDecodeError(f"invalid {generic.type} payload: {exc}") from exc
    # Its other fields were validated with the generic envelope: not validated twice.
    fields = {name: getattr(generic, name) for name in generic.model_fields_set}
    return _typed(registered.payload).model_construct(
        generic.model_fields_set, **{**fields, "payload": payload}
    )


@functools.cache
def _typed(payload: type[P]) -> type[Envelope[P]]:
    """The envelope class of one payload model, made once."""
    return Envelope[payload]  # type: ignore[valid-type]


class UnknownEventType(EventDecodeError):
    """The envelope is valid but its type is not registered here; consumers ignore it."""
