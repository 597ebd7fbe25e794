"""Attempt outcomes written in bulk: one insert into the delivery log per batch of sends.

Senders hand over an outcome (and its `notification.*` event) and go on with the next
message; the writer publishes the events (or queues them in the outbox if Kafka does not take
them in time), then appends the log entries, a batch at a time. A failed write is tried again
until the database answers. A process that dies before writing an outcome leaves that
delivery pending, and it is sent again (at least once).
"""

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from cmo_contracts import Envelope
from cmo_shared.store import DerivedEvents

from .repository import DeliveryRepository

log = logging.getLogger(__name__)


@dataclass
class OutcomeBatcher:
    """Collects outcomes for up to `linger_s` (or `max_batch` of them) and writes them."""

    deliveries: DeliveryRepository
    derived: DerivedEvents
    """Where the outcomes' `notification.*` events go, and how they are made."""
    max_batch: int = 1000
    linger_s: float = 0.05
    retry_s: float = 1.0
    _entries: list[dict[str, Any]] = field(default_factory=list)
    _events: list[Envelope[Any]] = field(default_factory=list)
    _ready: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def pending(self) -> bool:
        """Whether outcomes are waiting to be written."""
        return bool(self._entries)

    def record(self, entry: dict[str, Any], event: Envelope[Any] | None) -> None:
        """Queue a delivery log entry (and its event) for the next batch."""
        self._entries.append(entry)
        if event is not None:
            self._events.append(event)
        self._ready.set()

    async def run(self) -> None:
        """Write queued outcomes in batches, forever; on cancellation, write what is left."""
        try:
            while True:
                await self._ready.wait()
                if len(self._entries) < self.max_batch:
                    await asyncio.sleep(self.linger_s)
                if not await self._write():
                    await asyncio.sleep(self.retry_s)
        finally:
            if self._entries:
                await asyncio.shield(self._write())

    async def _write(self) -> bool:
        entries, events = self._entries[: self.max_batch], self._events
        self._events = []
        try:
            if events:
                await self.derived.publish_or_enqueue(events)
            await self.deliveries.log(entries)
        except Exception:
            log.warning(
                "cannot write %d delivery outcomes; trying again", len(entries), exc_info=True
            )
            self._events = events + self._events
            return False
        self._entries = self._entries[len(entries) :]
        if not self._entries:
            self._ready.clear()
        return True
