"""Attempt outcomes written in bulk: one update per group of equal changes, not one per send.

FerretDB 1.24 scans the collection on every update, so ten thousand one-row updates cost ten
thousand scans. Senders hand their outcome (and its `notification.*` event) to the batcher
and wait; the batcher queues the events, then applies each group of identical changes with
one `update_many`, and wakes the senders. A failed write fails every sender of the batch.
"""

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from cmo_shared.events import Envelope

from .repository import DeliveryRepository


@dataclass
class _Outcome:
    delivery_id: str
    changes: dict[str, Any]
    event: Envelope[Any] | None
    done: asyncio.Future[None]


@dataclass
class OutcomeBatcher:
    """Collects outcomes for up to `linger_s` (or `max_batch` of them) and writes them."""

    deliveries: DeliveryRepository
    enqueue: Callable[[list[Envelope[Any]]], Awaitable[int]]
    max_batch: int = 500
    linger_s: float = 0.05
    _pending: list[_Outcome] = field(default_factory=list)
    _ready: asyncio.Event = field(default_factory=asyncio.Event)

    async def record(
        self, delivery_id: str, changes: dict[str, Any], event: Envelope[Any] | None
    ) -> None:
        """Store an outcome; returns once it is written."""
        done = asyncio.get_running_loop().create_future()
        self._pending.append(_Outcome(delivery_id, changes, event, done))
        self._ready.set()
        await done

    async def run(self) -> None:
        """Write pending outcomes in batches, forever."""
        while True:
            await self._ready.wait()
            if len(self._pending) < self.max_batch:
                await asyncio.sleep(self.linger_s)
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            if not self._pending:
                self._ready.clear()
            if batch:
                await self._write(batch)

    async def _write(self, batch: list[_Outcome]) -> None:
        try:
            events = [o.event for o in batch if o.event is not None]
            if events:
                await self.enqueue(events)
            groups: dict[Hashable, list[_Outcome]] = defaultdict(list)
            for outcome in batch:
                groups[tuple(sorted(outcome.changes.items()))].append(outcome)
            for outcomes in groups.values():
                await self.deliveries.finish_many(
                    [o.delivery_id for o in outcomes], outcomes[0].changes
                )
        except Exception as exc:
            for outcome in batch:
                if not outcome.done.done():
                    outcome.done.set_exception(exc)
            return
        for outcome in batch:
            if not outcome.done.done():
                outcome.done.set_result(None)
