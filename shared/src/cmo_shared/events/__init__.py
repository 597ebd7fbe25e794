"""Event contracts: the envelope, the registry and one module per producing service."""

from . import members, notifications
from .envelope import (
    REGISTRY,
    Envelope,
    EventDecodeError,
    Payload,
    UnknownEventType,
    decode,
    encode,
    event_type,
    new_event,
    topic_of,
)

__all__ = [
    "REGISTRY",
    "Envelope",
    "EventDecodeError",
    "Payload",
    "UnknownEventType",
    "decode",
    "encode",
    "event_type",
    "members",
    "new_event",
    "notifications",
    "topic_of",
]
