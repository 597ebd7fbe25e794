"""Event contracts: the envelope, the registry and one module per producing service."""

from . import advocacy, funding, members, notifications, procurement, training, users
from .envelope import (
    REGISTRY,
    Envelope,
    EventDecodeError,
    EventType,
    Payload,
    UnknownEventType,
    Visibility,
    decode,
    deliverable,
    derived_event_id,
    encode,
    event_type,
    new_event,
    topic_of,
)

__all__ = [
    "REGISTRY",
    "Envelope",
    "EventDecodeError",
    "EventType",
    "Payload",
    "UnknownEventType",
    "Visibility",
    "advocacy",
    "decode",
    "deliverable",
    "derived_event_id",
    "encode",
    "event_type",
    "funding",
    "members",
    "new_event",
    "notifications",
    "procurement",
    "topic_of",
    "training",
    "users",
]
