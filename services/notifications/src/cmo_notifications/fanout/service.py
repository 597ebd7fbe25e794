"""Turn one domain event into delivery records and inbox entries for its audience, in bulk."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from cmo_contracts import REGISTRY, Envelope
from cmo_contracts.ids import new_id
from cmo_shared.identity import invitation_token

from ..deliveries.domain import DeliveryStatus
from ..deliveries.repository import DeliveryRepository
from ..directory.repository import MemberDirectory, ParkedEvents
from ..inbox.repository import InboxRepository
from ..preferences.repository import LinkSigner, Preferences
from ..settings import NotificationsSettings
from ..templates import RenderedMessage, render
from ..webhooks.repository import WebhookEndpoints, webhook_body
from .domain import (
    MANDATORY_TOPICS,
    RULES,
    WEBHOOK_TOPIC,
    Audience,
    Priority,
    Recipient,
    Rule,
    email_hold,
    in_sectors,
    invitee,
    may_receive,
    recipients,
    wants,
    webhook_receives,
)

FANOUT_CHUNK = 1000
FIRST_CHUNK = 100
"""An event's first chunk is small, so that its first messages leave at once."""


def _member_ids(rule: Rule, event: Envelope[Any]) -> list[str]:
    """The members an event is about, by the rule's payload fields."""
    ids: list[str] = []
    for name in rule.member_fields:
        value = getattr(event.payload, name)
        ids += value if isinstance(value, list) else [value]
    return ids


def delivery_record(
    *,
    event_id: str,
    event_type: str,
    correlation_id: str,
    recipient_id: str,
    channel: str,
    topic: str,
    priority: str,
    language: str,
    now: datetime,
) -> dict[str, Any]:
    """A new delivery record of an email or webhook message, pending until sent."""
    return {
        "_id": new_id(),
        "event_id": event_id,
        "event_type": event_type,
        "correlation_id": correlation_id,
        "recipient_id": recipient_id,
        "channel": channel,
        "topic": topic,
        "priority": priority,
        "language": language,
        "status": DeliveryStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": None,
        "created_at": now,
    }


def email_fields(
    address: str, name: str, message: RenderedMessage, unsubscribe_url: str | None
) -> dict[str, Any]:
    """What an email delivery carries besides its record: where to, and the message."""
    return {
        "address": address,
        "name": name,
        "subject": message.subject,
        "text": message.text,
        "html": message.html,
        "unsubscribe_url": unsubscribe_url,
    }


def test_delivery(endpoint: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A signed `webhook.test` message to an endpoint."""
    test_id = f"test:{uuid4()}"
    record = delivery_record(
        event_id=test_id,
        event_type="webhook.test",
        correlation_id=test_id,
        recipient_id=endpoint["_id"],
        channel="webhook",
        topic="webhooks",
        priority="urgent",
        language="",
        now=now,
    )
    body = webhook_body("webhook.test", now, {"endpoint_id": endpoint["_id"]})
    return {**record, "url": endpoint["url"], "body": body}


def owner_notice(
    endpoint: dict[str, Any], since: datetime, message: RenderedMessage, now: datetime
) -> dict[str, Any]:
    """The email telling an endpoint's owner it was disabled (once per failing period)."""
    record = delivery_record(
        event_id=f"webhook-disabled:{endpoint['_id']}:{since.isoformat()}",
        event_type="webhook.disabled",
        correlation_id=f"webhook:{endpoint['_id']}",
        recipient_id=f"owner:{endpoint['_id']}",
        channel="email",
        topic="security",
        priority="urgent",
        language=message.language,
        now=now,
    )
    owner = endpoint["owner_email"]
    return {**record, **email_fields(owner, owner, message, None)}


class UnknownMember(Exception):
    """The event names a member whose `member.joined` the directory has not read yet.

    Either the member is unknown, or it is known only as an applicant while the event's
    topic is for members; read across topics, the joining may simply come later.
    """

    def __init__(self, member_id: str) -> None:
        super().__init__(f"member {member_id} is not in the directory yet")
        self.member_id = member_id


def _event_context(event: Envelope[Any], settings: NotificationsSettings) -> dict[str, Any]:
    """What every recipient's message of an event shows: the event, and its links."""
    return {"event": event.payload.model_dump(), "links": _links(event, settings)}


def _context(shown: dict[str, Any], recipient: Recipient) -> dict[str, Any]:
    return {
        **shown,
        "name": recipient.name,
        "company": recipient.company,
        "language": recipient.language,
    }


def _links(event: Envelope[Any], settings: NotificationsSettings) -> dict[str, str]:
    """Links a message offers; an invitation's carries the token derived from its id."""
    if event.type != "user.invited":
        return {}
    token = invitation_token(settings.internal_secret, event.payload.invitation_id)
    return {"accept": f"{settings.public_url}/auth/invitations/accept#token={token}"}


@dataclass
class Fanout:
    """Expands events into per-recipient, per-channel messages and per-endpoint webhooks."""

    deliveries: DeliveryRepository
    inbox: InboxRepository
    directory: MemberDirectory
    preferences: Preferences
    endpoints: WebhookEndpoints
    links: LinkSigner
    parked: ParkedEvents
    settings: NotificationsSettings
    submit: Callable[[list[dict[str, Any]]], None]

    async def _contact(
        self, member_id: str | None, contact_id: str | None
    ) -> dict[str, Any] | None:
        """A company contact as the directory knows it, if it does."""
        if member_id is None or contact_id is None:
            return None
        member = await self.directory.get(member_id)
        contacts = member["contacts"] if member is not None else []
        return next((c for c in contacts if c["contact_id"] == contact_id), None)

    async def _audience(self, rule: Rule, event: Envelope[Any]) -> AsyncIterator[list[Recipient]]:
        """The rule's recipients, a chunk at a time: a whole membership is read as a stream.

        Each chunk is stored before the next is read; the first is small, so that its
        messages leave at once.
        """
        payload = event.payload
        if rule.audience is Audience.EVENT_CONTACTS:
            yield recipients([c.model_dump() for c in payload.contacts], payload.legal_name)
        elif rule.audience is Audience.INVITEE:
            contact = await self._contact(payload.member_id, payload.contact_id)
            yield [invitee(payload, contact)]
        elif rule.audience is Audience.STAFF:
            company = getattr(payload, "legal_name", "")
            yield [
                Recipient(f"staff:{s['email']}", s["name"], s["email"], s["language"], company)
                for s in self.settings.staff_recipients
            ]
        elif rule.audience is Audience.MEMBERS_IN_SECTORS:
            people: list[Recipient] = []
            limit = FIRST_CHUNK
            async for member in self.directory.in_good_standing(FIRST_CHUNK):
                if in_sectors(member["sector"], payload.sectors):
                    people += recipients(member["contacts"], member["legal_name"])
                if len(people) >= limit:
                    yield people
                    people, limit = [], FANOUT_CHUNK
            yield people
        else:
            yield await self._members_named(rule, event)

    async def _members_named(self, rule: Rule, event: Envelope[Any]) -> list[Recipient]:
        """The contacts of the members the event is about, if the rule's topic is for them."""
        people: list[Recipient] = []
        for member_id in _member_ids(rule, event):
            member = await self.directory.get(member_id)
            not_yet_member = member is not None and member["status"] == "applicant"
            if member is None or (not_yet_member and not may_receive("applicant", rule.topic)):
                raise UnknownMember(member_id)
            if may_receive(member["status"], rule.topic):
                people += recipients(member["contacts"], member["legal_name"])
        return people

    async def handle(self, event: Envelope[Any]) -> None:
        """Record every message the event's rules call for; the dispatcher sends them.

        An event about a member the directory does not know yet (its `member.joined` comes
        on another topic and may be read later) is parked, and handled when the member is.
        """
        await self._handle_or_park(event)

    async def release(self, event: Envelope[Any]) -> None:
        """Handle the events parked until this member became known.

        An event still waiting for this member (known now only as an applicant, say) stays
        parked; one now waiting for another member is parked for that one instead.
        """
        member_id = event.payload.member_id
        for parked in await self.parked.waiting_for(member_id):
            if await self._handle_or_park(parked) != member_id:
                await self.parked.release(parked, member_id)

    async def _handle_or_park(self, event: Envelope[Any]) -> str | None:
        """Handle the event, or park it; return the member it waits for, if any."""
        try:
            await self._handle(event)
        except UnknownMember as unknown:
            await self.parked.park(unknown.member_id, event)
            return unknown.member_id
        return None

    async def _handle(self, event: Envelope[Any]) -> None:
        now = datetime.now(UTC)
        shown = _event_context(event, self.settings)  # once per event, not per recipient
        for rule in RULES.get(event.type, ()):
            async for people in self._audience(rule, event):
                await self._store(*await self._messages(event, rule, people, shown, now))
        await self._store(await self._webhooks(event, now), [])

    async def _messages(
        self,
        event: Envelope[Any],
        rule: Rule,
        people: list[Recipient],
        shown: dict[str, Any],
        now: datetime,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The email deliveries and inbox entries a rule calls for, for these recipients."""
        deliveries: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []
        choices = await self.preferences.get_many([p.recipient_id for p in people])
        for recipient in people:
            choice = choices.get(recipient.recipient_id)
            channels = [
                c for c in ("email", "inbox") if c in rule.channels and wants(choice, rule.topic, c)
            ]
            if not channels:
                continue
            message = render(rule.template, recipient.language, _context(shown, recipient))
            if "email" in channels:
                email = self._email(event, rule, recipient, message, now)
                held, when = email_hold(rule.priority, choice, now)
                deliveries.append({**email, "status": held.value, "next_attempt_at": when})
            if "inbox" in channels:  # the entry is the inbox delivery's record
                entries.append(self._inbox_entry(event, rule, recipient, message, now))
        return deliveries, entries

    async def _webhooks(self, event: Envelope[Any], now: datetime) -> list[dict[str, Any]]:
        """One signed message per endpoint subscribed to the event and entitled to it."""
        registered = REGISTRY[event.type]
        subscribed = await self.endpoints.subscribed(event.type)
        owners = {e["owner_id"] for e in subscribed if e["owner_kind"] == "member"}
        standing = await self.directory.statuses(owners) if owners else {}
        about = registered.about(event.payload)
        return [
            self._webhook(event, e, now)
            for e in subscribed
            if webhook_receives(e, registered, about, standing)
        ]

    async def _store(self, deliveries: list[dict[str, Any]], entries: list[dict[str, Any]]) -> None:
        """Write a chunk of the fan-out and hand its new deliveries to the dispatcher.

        In chunks, so that the first messages are on their way while later ones are rendered;
        a redelivered event writes nothing twice (unique keys), whichever chunk it stopped at.
        """
        await self.inbox.add_new(entries)
        if new := await self.deliveries.add_new(deliveries):  # nothing new: no need to wake it
            self.submit(new)

    def _webhook(
        self, event: Envelope[Any], endpoint: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        data = {"event_id": str(event.event_id), **event.payload.model_dump(mode="json")}
        record = delivery_record(
            event_id=str(event.event_id),
            event_type=event.type,
            correlation_id=event.correlation_id,
            recipient_id=endpoint["_id"],
            channel="webhook",
            topic=WEBHOOK_TOPIC,
            priority=Priority.NORMAL.value,
            language="",
            now=now,
        )
        return {
            **record,
            "url": endpoint["url"],
            "body": webhook_body(event.type, event.occurred_at, data),
        }

    def _email(
        self,
        event: Envelope[Any],
        rule: Rule,
        recipient: Recipient,
        message: RenderedMessage,
        now: datetime,
    ) -> dict[str, Any]:
        record = delivery_record(
            event_id=str(event.event_id),
            event_type=event.type,
            correlation_id=event.correlation_id,
            recipient_id=recipient.recipient_id,
            channel="email",
            topic=rule.topic,
            priority=rule.priority.value,
            language=message.language,
            now=now,
        )
        unsubscribe = None
        if rule.topic not in MANDATORY_TOPICS:
            token = self.links.token(recipient.recipient_id, rule.topic)
            unsubscribe = f"{self.settings.public_url}/unsubscribe/{token}"
        record.update(email_fields(recipient.email, recipient.name, message, unsubscribe))
        if rule.calendar:
            record["calendar"] = getattr(event.payload, rule.calendar).get(recipient.recipient_id)
        return record

    @staticmethod
    def _inbox_entry(
        event: Envelope[Any],
        rule: Rule,
        recipient: Recipient,
        message: RenderedMessage,
        now: datetime,
    ) -> dict[str, Any]:
        return {
            "_id": new_id(),
            "event_id": str(event.event_id),
            "event_type": event.type,
            "contact_id": recipient.recipient_id,
            "topic": rule.topic,
            "language": message.language,
            "title": message.subject,
            "body": message.text,
            "status": "unread",
            "created_at": now,
        }
