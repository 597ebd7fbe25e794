"""Who is told what about which event, on which channel and when: pure rules, no I/O."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from cmo_contracts import EventType, Visibility
from cmo_contracts.members import GOOD_STANDING

from ..deliveries.domain import DeliveryStatus


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
    """The contacts of the members the event names (`member_fields`), from the read model."""
    STAFF = "staff"
    """The CMO's staff, as configured (`CMO_STAFF_RECIPIENTS`)."""
    INVITEE = "invitee"
    """The person an invitation is for (`login`, `name`, `language` of the payload)."""
    MEMBERS_IN_SECTORS = "members_in_sectors"
    """Every member in good standing whose sector starts with one of the payload's `sectors`
    (all of them when it is empty)."""


class Priority(StrEnum):
    """How urgent a message is: urgent ones ignore quiet hours, low ones may go to a digest."""

    URGENT = "urgent"
    NORMAL = "normal"
    LOW = "low"


@dataclass(frozen=True)
class Rule:
    """How one event type is told to people: audience, topic, priority, template and channels.

    Webhooks are not a rule's: every event its visibility lets out goes to the endpoints that
    subscribed to it (`webhook_receives`).
    """

    template: str
    topic: str
    audience: Audience
    member_fields: tuple[str, ...] = ("member_id",)
    priority: Priority = Priority.NORMAL
    channels: tuple[str, ...] = ("email", "inbox")
    calendar: str | None = None
    """A payload field holding each recipient's iCalendar invitation, attached to the email."""


# Each event type can have several rules (e.g. the member is welcomed, staff are alerted).
RULES: dict[str, tuple[Rule, ...]] = {
    "member.joined": (
        Rule("welcome", "membership", Audience.EVENT_CONTACTS),
        Rule("staff_member_joined", "staff_alerts", Audience.STAFF, channels=("email",)),
    ),
    "funding.match_found": (Rule("funding_match", "funding", Audience.MEMBER_CONTACTS),),
    "funding.deadline_approaching": (
        Rule("funding_deadline", "funding", Audience.MEMBER_CONTACTS, priority=Priority.URGENT),
    ),
    "collaboration.matched": (
        Rule(
            "collaboration_match",
            "collaboration",
            Audience.MEMBER_CONTACTS,
            member_fields=("member_id", "matched_member_id"),
            priority=Priority.LOW,
        ),
    ),
    "news.published": (
        Rule("news", "news", Audience.MEMBERS_IN_SECTORS, member_fields=(), priority=Priority.LOW),
    ),
    # Advocacy: only the members of the sectors an initiative, consultation or position names.
    "legislation.stage_changed": (
        Rule("legislation_stage", "advocacy", Audience.MEMBERS_IN_SECTORS, member_fields=()),
    ),
    "consultation.opened": (
        Rule("consultation_opened", "advocacy", Audience.MEMBERS_IN_SECTORS, member_fields=()),
    ),
    "bulletin.published": (
        Rule(
            "bulletin", "news", Audience.MEMBERS_IN_SECTORS, member_fields=(), priority=Priority.LOW
        ),
    ),
    "position.adopted": (
        Rule("position_adopted", "advocacy", Audience.MEMBERS_IN_SECTORS, member_fields=()),
    ),
    # Training: the members whose needs match are told first, every member once it opens;
    # each registered person gets a calendar invitation (and its cancellation) by email.
    "training.scheduled": (
        Rule("training_invited", "training", Audience.MEMBER_CONTACTS, member_fields=("invited",)),
    ),
    "training.registration_opened": (
        Rule(
            "training_open",
            "training",
            Audience.MEMBERS_IN_SECTORS,
            member_fields=(),
            priority=Priority.LOW,
        ),
    ),
    "registration.confirmed": (
        Rule("registration_confirmed", "training", Audience.EVENT_CONTACTS, calendar="invitations"),
    ),
    "registration.waitlisted": (
        Rule("registration_waitlisted", "training", Audience.EVENT_CONTACTS),
    ),
    "registration.offered": (
        Rule("registration_offered", "training", Audience.EVENT_CONTACTS, priority=Priority.URGENT),
    ),
    "registration.cancelled": (
        Rule("registration_cancelled", "training", Audience.EVENT_CONTACTS, calendar="invitations"),
    ),
    "certificate.issued": (Rule("certificate_issued", "training", Audience.EVENT_CONTACTS),),
    "collaboration.interest_expressed": (
        Rule("collaboration_interest", "collaboration", Audience.MEMBER_CONTACTS),
    ),
    "procurement.pool_threshold_reached": (
        Rule(
            "staff_pool_threshold",
            "staff_alerts",
            Audience.STAFF,
            member_fields=(),
            channels=("email",),
        ),
    ),
    # Told to the member itself only: its quantities and prices are nobody else's business.
    "savings.realized": (Rule("savings_realized", "procurement", Audience.MEMBER_CONTACTS),),
    "support_request.created": (
        Rule(
            "staff_support_request",
            "staff_alerts",
            Audience.STAFF,
            member_fields=(),
            channels=("email",),
        ),
    ),
    "support_request.matched": (Rule("support_matched", "procurement", Audience.MEMBER_CONTACTS),),
    # Email only: the invitation carries a secret link, which no inbox or webhook should see.
    "user.invited": (
        Rule(
            "invitation",
            "security",
            Audience.INVITEE,
            member_fields=(),
            priority=Priority.URGENT,
            channels=("email",),
        ),
    ),
}
MANDATORY_TOPICS = frozenset({"membership", "fees", "security"})


def topics() -> list[str]:
    """Every topic a rule tells people about (what a contact can choose channels for)."""
    return sorted({rule.topic for rules in RULES.values() for rule in rules} | MANDATORY_TOPICS)


OWN_MEMBERSHIP_TOPICS = frozenset({"membership", "fees"})


WEBHOOK_TOPIC = "webhooks"


def webhook_receives(
    endpoint: dict[str, Any], event: EventType, about: list[str], standing: dict[str, str]
) -> bool:
    """Whether an endpoint that subscribed to an event type may receive this event.

    Integrations receive every event that is not internal; a member company's endpoint the
    events about its own company, and those for every member while it is in good standing
    (`standing`: the member statuses known for the endpoints' owners).
    """
    if event.visibility is Visibility.INTERNAL:
        return False
    if endpoint["owner_kind"] == "integration":
        return True
    owner = endpoint["owner_id"]
    if event.visibility is Visibility.MEMBER:
        return owner in about
    return event.visibility is Visibility.MEMBERS and standing.get(owner) in GOOD_STANDING


def in_sectors(sector: str, prefixes: Iterable[str]) -> bool:
    """Whether a NACE code falls under any of the prefixes (no prefixes: every sector)."""
    prefixes = list(prefixes)
    return not prefixes or any(sector.startswith(p) for p in prefixes)


def may_receive(member_status: str, topic: str) -> bool:
    """Suspended or departed members are told only about their own membership and fees."""
    return member_status in GOOD_STANDING or topic in OWN_MEMBERSHIP_TOPICS


def invitee(invitation: Any, contact: dict[str, Any] | None) -> Recipient:
    """Whom an invitation addresses: as the inviter said, else as the contact is, else Georgian."""
    known = contact or {}
    return Recipient(
        f"invitee:{invitation.invitation_id}",
        invitation.name or known.get("name") or invitation.login,
        invitation.login,
        invitation.language or known.get("language") or "ka",
    )


def recipients(contacts: Iterable[dict[str, Any]], company: str) -> list[Recipient]:
    """Recipients from a company's contact records."""
    return [
        Recipient(c["contact_id"], c["name"], c["email"], c["language"], company) for c in contacts
    ]


def wants(preferences: dict[str, Any] | None, topic: str, channel: str) -> bool:
    """Whether a contact receives a topic on a channel; mandatory topics always go out."""
    if topic in MANDATORY_TOPICS or preferences is None:
        return True
    return bool(preferences.get("channels", {}).get(topic, {}).get(channel, True))


DEFAULT_TIMEZONE = "Asia/Tbilisi"
DEFAULT_DIGEST_HOUR = 18


def quiet_until(now: datetime, preferences: dict[str, Any] | None) -> datetime | None:
    """When the contact's quiet hours end, if `now` falls within them (else None)."""
    quiet = (preferences or {}).get("quiet_hours")
    if not quiet:
        return None
    local = now.astimezone(ZoneInfo(preferences.get("timezone") or DEFAULT_TIMEZONE))
    start, end = quiet["start_hour"], quiet["end_hour"]
    inside = start <= local.hour < end if start < end else local.hour >= start or local.hour < end
    if not inside:
        return None
    until = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if until <= local:
        until += timedelta(days=1)
    return until.astimezone(UTC)


def email_hold(
    priority: Priority, preferences: dict[str, Any] | None, now: datetime
) -> tuple[DeliveryStatus, datetime | None]:
    """Where a new email waits: the digest (low priority, digest chosen), quiet hours, or none."""
    if priority is Priority.LOW and (preferences or {}).get("digest"):
        return DeliveryStatus.DIGEST, None
    if priority is not Priority.URGENT:
        until = quiet_until(now, preferences)
        if until is not None:
            return DeliveryStatus.PENDING, until
    return DeliveryStatus.PENDING, now


def digest_day(now: datetime, preferences: dict[str, Any] | None) -> str | None:
    """The contact's local date if its digest hour has come today, else None."""
    preferences = preferences or {}
    local = now.astimezone(ZoneInfo(preferences.get("timezone") or DEFAULT_TIMEZONE))
    hour = preferences.get("digest_hour", DEFAULT_DIGEST_HOUR)
    return local.date().isoformat() if local.hour >= hour else None
