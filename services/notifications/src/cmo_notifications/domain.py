"""Who is told what about which event, and how deliveries are retried: pure rules, no I/O."""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


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
    company: str = ""


class Audience(StrEnum):
    """Who an event is for."""

    EVENT_CONTACTS = "event_contacts"
    """The contacts the event itself carries (e.g. `member.joined`)."""
    MEMBER_CONTACTS = "member_contacts"
    """The contacts of the member the event names (`member_id`), from the local read model."""


@dataclass(frozen=True)
class Rule:
    """How one event type is notified: the template, the audience and the channels."""

    template: str
    topic: str
    audience: Audience
    channels: tuple[str, ...] = ("email", "inbox")


RULES: dict[str, Rule] = {
    "member.joined": Rule("welcome", "membership", Audience.EVENT_CONTACTS),
    "funding.match_found": Rule("funding_match", "funding", Audience.MEMBER_CONTACTS),
    "funding.deadline_approaching": Rule("funding_deadline", "funding", Audience.MEMBER_CONTACTS),
}
GOOD_STANDING = frozenset({"active", "grace"})
OWN_MEMBERSHIP_TOPICS = frozenset({"membership", "fees"})


def may_receive(member_status: str, topic: str) -> bool:
    """Suspended or departed members are told only about their own membership and fees."""
    return member_status in GOOD_STANDING or topic in OWN_MEMBERSHIP_TOPICS


def recipients(contacts: Iterable[dict[str, Any]], company: str) -> list[Recipient]:
    """Recipients from a company's contact records."""
    return [
        Recipient(c["contact_id"], c["name"], c["email"], c["language"], company) for c in contacts
    ]


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
