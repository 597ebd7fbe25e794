"""The daily digest: low-priority emails held for a contact, sent together at its hour."""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..deliveries.domain import DeliveryStatus
from ..deliveries.repository import DeliveryRepository, log_entry
from ..fanout.domain import digest_day
from ..fanout.service import delivery_record, email_fields
from ..preferences.repository import Preferences
from ..templates import render

log = logging.getLogger(__name__)


@dataclass
class DigestJob:
    """Gathers each contact's held emails into one email a day, once."""

    deliveries: DeliveryRepository
    preferences: Preferences
    submit: Callable[[list[dict[str, Any]]], None]

    async def run(self, now: datetime) -> int:
        """Send the digests whose hour has come; return how many were created."""
        held = await self.deliveries.in_state(
            DeliveryStatus.DIGEST, {"channel": "email"}, with_content=True
        )
        by_contact: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for delivery in held:
            by_contact[delivery["recipient_id"]].append(delivery)
        choices = await self.preferences.get_many(list(by_contact))
        created = 0
        for contact_id, items in by_contact.items():
            day = digest_day(now, choices.get(contact_id))
            if day is None:
                continue
            digest = self._digest(
                contact_id, day, sorted(items, key=lambda d: d["created_at"]), now
            )
            if not await self.deliveries.add_new([digest]):
                continue  # today's digest went out already; these wait for tomorrow's
            digested = {"status": DeliveryStatus.DIGESTED.value, "digest_id": digest["_id"]}
            await self.deliveries.log([log_entry(d, digested) for d in items])
            self.submit([digest])
            created += 1
        return created

    @staticmethod
    def _digest(
        contact_id: str, day: str, items: list[dict[str, Any]], now: datetime
    ) -> dict[str, Any]:
        first = items[0]
        message = render(
            "digest",
            first["language"],
            {"name": first["name"], "day": day, "items": items},
        )
        record = delivery_record(
            event_id=f"digest:{day}",
            event_type="notification.digest",
            correlation_id=f"digest:{contact_id}:{day}",
            recipient_id=contact_id,
            channel="email",
            topic="digest",
            priority="low",
            language=message.language,
            now=now,
        )
        fields = email_fields(
            first["address"], first["name"], message, first.get("unsubscribe_url")
        )
        return {**record, **fields}
