"""Turn one domain event into delivery records and inbox entries for its audience, in bulk."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from cmo_shared.events import Envelope

from .directory import MemberDirectory
from .domain import RULES, Audience, DeliveryStatus, Recipient, Rule, may_receive, recipients
from .repository import DeliveryRepository, InboxRepository
from .templates import RenderedMessage, render


class UnknownMember(Exception):
    """The event names a member the directory has not heard of (yet); retried, then dead."""


def _context(event: Envelope[Any], recipient: Recipient) -> dict[str, Any]:
    return {
        "name": recipient.name,
        "company": recipient.company,
        "language": recipient.language,
        "event": event.payload.model_dump(),
    }


@dataclass
class Fanout:
    """Expands events into per-recipient, per-channel messages."""

    deliveries: DeliveryRepository
    inbox: InboxRepository
    directory: MemberDirectory
    wake_dispatcher: Any

    async def _audience(self, rule: Rule, event: Envelope[Any]) -> list[Recipient]:
        payload = event.payload
        if rule.audience is Audience.EVENT_CONTACTS:
            return recipients([c.model_dump() for c in payload.contacts], payload.legal_name)
        member = await self.directory.get(payload.member_id)
        if member is None:
            raise UnknownMember(f"member {payload.member_id} is not in the directory yet")
        if not may_receive(member["status"], rule.topic):
            return []
        return recipients(member["contacts"], member["legal_name"])

    async def handle(self, event: Envelope[Any]) -> None:
        """Record every message the event's rule calls for; the dispatcher sends the emails."""
        rule = RULES.get(event.type)
        if rule is None:
            return
        now = datetime.now(UTC)
        deliveries: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []
        for recipient in await self._audience(rule, event):
            message = render(rule.template, recipient.language, _context(event, recipient))
            for channel in rule.channels:
                deliveries.append(self._delivery(event, rule, recipient, channel, message, now))
            if "inbox" in rule.channels:
                entries.append(self._inbox_entry(event, rule, recipient, message, now))
        await self.inbox.add_new(entries)
        if await self.deliveries.add_new(deliveries):
            self.wake_dispatcher()

    @staticmethod
    def _delivery(
        event: Envelope[Any],
        rule: Rule,
        recipient: Recipient,
        channel: str,
        message: RenderedMessage,
        now: datetime,
    ) -> dict[str, Any]:
        # The inbox entry is written with the delivery, so that channel is delivered at once.
        delivered_now = channel == "inbox"
        record: dict[str, Any] = {
            "_id": str(uuid4()),
            "event_id": str(event.event_id),
            "event_type": event.type,
            "correlation_id": event.correlation_id,
            "recipient_id": recipient.recipient_id,
            "channel": channel,
            "topic": rule.topic,
            "language": message.language,
            "status": (DeliveryStatus.SENT if delivered_now else DeliveryStatus.PENDING).value,
            "attempts": 1 if delivered_now else 0,
            "next_attempt_at": None if delivered_now else now,
            "last_error": None,
            "created_at": now,
        }
        if channel == "email":
            record.update(
                address=recipient.email,
                name=recipient.name,
                subject=message.subject,
                text=message.text,
                html=message.html,
            )
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
            "_id": str(uuid4()),
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
