"""Transactional outbox without multi-document transactions, and a queue for derived events.

An aggregate's new events are pushed into an `outbox` array of its own document in the same
single-document update that changes its state, so state and events are saved atomically. The
relay publishes pending entries in order, then removes exactly those entries with `$pullAll`.
A crash between publishing and removing republishes them: consumers deduplicate by event id.

Events derived in bulk have ids derived from their natural key. A consumer publishes them at
once (`publish_now`), before it stores the effect and commits: a crash re-runs the consumer,
which derives and publishes the same ids again, and consumers skip ids they applied. Other
work (a sender recording outcomes) queues them in the outbox queue instead: one insert-only
document per event, written before the effect it announces; the relay publishes them and
deletes them in one statement per batch.
"""

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cmo_contracts import Envelope, encode, topic_of
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from .locks import DocumentLocks
from .mongo import insert_unordered
from .tracing import current_headers

if TYPE_CHECKING:
    from .metrics import ServiceMetrics

log = logging.getLogger(__name__)

Publish = Callable[[str, bytes, bytes, str, dict[str, str]], Awaitable[Awaitable[Any] | None]]
"""Hands a record (topic, key, body, correlation id, headers) to the producer; returns the
awaitable of its acknowledgement, or None once it is acknowledged already."""
PENDING = {"outbox.0": {"$exists": True}}
QUEUE = "outbox_queue"


def outbox_entry(event: Envelope[Any]) -> dict[str, Any]:
    """The outbox subdocument holding one event ready to publish, with the current trace."""
    trace = current_headers()
    return {
        **({"trace": trace} if trace else {}),
        "event_id": str(event.event_id),
        "type": event.type,
        "topic": topic_of(event),
        "key": event.subject_id,
        "correlation_id": event.correlation_id,
        "occurred_at": event.occurred_at,
        "body": encode(event),
    }


def outbox_entries(events: Iterable[Envelope[Any]]) -> list[dict[str, Any]]:
    """The `outbox` array of a new aggregate document holding its first events."""
    return [outbox_entry(e) for e in events]


def push_events(events: Iterable[Envelope[Any]]) -> dict[str, Any]:
    """The `$push` clause that appends events to an aggregate's outbox in the same update."""
    return {"outbox": {"$each": outbox_entries(events)}}


def queued_entries(events: Iterable[Envelope[Any]]) -> list[dict[str, Any]]:
    """Outbox queue documents for events, in order, keyed by event id."""
    now = datetime.now(UTC)
    return [
        {"_id": str(e.event_id), **outbox_entry(e), "enqueued_at": now, "seq": i}
        for i, e in enumerate(events)
    ]


class OutboxRelay:
    """Publishes events waiting in the outboxes of the given collections, oldest first."""

    def __init__(
        self,
        collections: list[AsyncCollection],
        publish: Publish,
        *,
        poll_interval_s: float = 1.0,
        batch_size: int = 200,
        locks: DocumentLocks | None = None,
        queue: AsyncCollection | None = None,
        metrics: "ServiceMetrics | None" = None,
    ) -> None:
        self._metrics = metrics
        self._collections = collections
        self._queue = queue
        self._locks = locks or DocumentLocks()
        self._publish = publish
        self._poll_interval_s = poll_interval_s
        self._batch_size = batch_size
        self._wake = asyncio.Event()
        self._queued_here: list[dict[str, Any]] = []
        """What this process queued and has not published yet, oldest first: the queue is
        read back from the database only at start and when this runs dry."""
        self._read_back = False

    async def enqueue(self, events: Iterable[Envelope[Any]]) -> int:
        """Queue derived events for publishing; ids already queued are skipped. Return how many."""
        if self._queue is None:
            raise RuntimeError("this relay has no outbox queue")
        entries = queued_entries(events)
        skipped = set(await insert_unordered(self._queue, entries))
        self._queued_here += [e for i, e in enumerate(entries) if i not in skipped]
        self.wake()
        return len(entries) - len(skipped)

    def watch(self, collection: AsyncCollection) -> None:
        """Publish the outbox entries of one more collection's documents."""
        if collection.name not in {c.name for c in self._collections}:
            self._collections.append(collection)

    def wake(self) -> None:
        """Ask the relay to look for new events now rather than at its next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Relay forever: drain, then sleep until woken or the poll interval passes."""
        failures = 0
        while True:
            try:
                await self.drain_all()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception:
                failures += 1
                log.warning("outbox relay could not publish; will retry", exc_info=True)
            delay = min(self._poll_interval_s * 2**failures, 15.0) if failures else None
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay or self._poll_interval_s)

    async def drain_all(self) -> None:
        """Publish batches until nothing is pending."""
        while await self.drain():
            pass

    async def drain(self) -> int:
        """Publish one batch of pending events from every collection; return how many."""
        found: list[dict[str, Any]] = []
        published = await self._drain_queue(found)
        for collection in self._collections:
            documents = (
                await collection.find(PENDING, {"outbox": 1}).limit(self._batch_size).to_list(None)
            )
            if not documents:
                continue
            entries = [e for d in documents for e in d["outbox"]]
            found.extend(entries)
            self._saw(found)
            await self._publish_all(entries)
            for document in documents:
                async with self._locks(collection.name, document["_id"]):
                    await collection.update_one(
                        {"_id": document["_id"]}, {"$pullAll": {"outbox": document["outbox"]}}
                    )
                published += len(document["outbox"])
        self._saw([])  # all found were published (a failure raises before this)
        return published

    def _saw(self, waiting: list[dict[str, Any]]) -> None:
        if self._metrics is not None:
            stamps = [e.get("occurred_at") or e.get("enqueued_at") for e in waiting]
            known = [t for t in stamps if t is not None]
            self._metrics.saw_outbox(len(waiting), min(known) if known else None)

    async def _drain_queue(self, found: list[dict[str, Any]]) -> int:
        """Publish, then delete, the oldest queued entries.

        Those this process queued while it has any (no scan), else the oldest stored (left
        by a process that stopped, or queued by another replica).
        """
        if self._queue is None:
            return 0
        limit = self._batch_size * 10
        if self._read_back and self._queued_here:
            entries = self._queued_here[:limit]
        else:
            entries = (
                await self._queue.find({})
                .sort([("enqueued_at", ASCENDING), ("seq", ASCENDING)])
                .limit(limit)
                .to_list(None)
            )
        if entries:
            found.extend(entries)
            self._saw(found)
            await self._publish_all(entries)
            ids = [e["_id"] for e in entries]
            await self._queue.delete_many({"_id": {"$in": ids}})
            gone = set(ids)
            self._queued_here = [e for e in self._queued_here if e["_id"] not in gone]
        self._read_back = True
        return len(entries)

    async def publish_now(self, events: Iterable[Envelope[Any]]) -> None:
        """Publish derived events at once, without queuing them, and await their acknowledgements.

        Only for a consumer, which commits the event it derived them from after this returns:
        a crash before then redelivers that event, which derives the same ids again.
        """
        entries = outbox_entries(events)
        if entries:
            await self._publish_all(entries)

    async def _publish_all(self, entries: list[dict[str, Any]]) -> None:
        """Publish entries, issued in order; every send is awaited before a failure is raised."""
        started = time.perf_counter()
        # Handed to the producer one after another, in order (it keeps the order per key),
        # each as soon as its batch has room; their acknowledgements are awaited together,
        # so none is left in flight when a failure is raised. (Thousands of sends awaited at
        # once would each wake on every batch the producer drains.)
        acknowledgements: list[Awaitable[Any]] = []
        failures: list[BaseException] = []
        for entry in entries:
            try:
                sent = await self._publish(
                    entry["topic"],
                    entry["key"].encode(),
                    entry["body"],
                    entry["correlation_id"],
                    {"event-type": entry["type"], **entry.get("trace", {})},
                )
            except Exception as exc:
                failures.append(exc)
                break
            if inspect.isawaitable(sent):
                acknowledgements.append(sent)
        results = await asyncio.gather(*acknowledgements, return_exceptions=True)
        failures += [r for r in results if isinstance(r, BaseException)]
        if failures:
            raise failures[0]
        if self._metrics is not None:
            self._metrics.relay_publish.observe(time.perf_counter() - started)
