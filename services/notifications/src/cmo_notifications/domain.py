"""Who is told what about which event, and how deliveries are retried: pure rules, no I/O."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from cmo_shared.events import Envelope
from cmo_shared.events.members import MemberJoined


class DeliveryStatus(StrEnum):
    """Lifecycle of one message to one recipient on one channel."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RETRYING = "retrying"
    DEAD = "dead"


@dataclass(frozen=True)
class Recipient:
    """A person to notify, with the address and language to use."""

    recipient_id: str
    name: str
    email: str
    language: str


@dataclass(frozen=True)
class Rule:
    """How one event type is notified: the template, the audience and the channels."""

    template: str
    topic: str
    audience: Callable[[Envelope[Any]], list[Recipient]]
    channels: tuple[str, ...] = ("email", "inbox")


def company_contacts(event: Envelope[Any]) -> list[Recipient]:
    """The contacts of the member company the event is about."""
    return [Recipient(c.contact_id, c.name, c.email, c.language) for c in event.payload.contacts]


RULES: dict[str, Rule] = {
    MemberJoined.event_type_name: Rule(  # type: ignore[attr-defined]
        template="welcome", topic="membership", audience=company_contacts
    ),
}


def next_attempt_at(
    schedule_s: list[float], attempts_made: int, now: datetime, retry_after_s: float | None = None
) -> datetime | None:
    """When to try again after `attempts_made` failures, or None when the schedule is spent.

    A ±10 % jitter spreads retries of many deliveries; a server's `Retry-After` is honoured
    when it asks for longer.
    """
    if attempts_made >= len(schedule_s):
        return None
    delay = schedule_s[attempts_made] * random.uniform(0.9, 1.1)
    if retry_after_s is not None:
        delay = max(delay, retry_after_s)
    return now + timedelta(seconds=delay)
