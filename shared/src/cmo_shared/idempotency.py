"""Idempotent consumer: each (consumer, event id) takes effect once, enforced by a unique key.

The record is insert-only: its `_id` is `<consumer>:<event id>`, looked up before a batch's
effects and inserted after them. (FerretDB 1.24 scans the whole collection on every update,
while inserts by `_id` stay fast as the record grows.) If the process dies between an effect
and its record, the next delivery applies the effect again, so effects are themselves keyed
by natural ids (e.g. one delivery per event, recipient and channel under a unique index).
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase

from .mongo import insert_new


def marker_id(consumer: str, event_id: UUID | str) -> str:
    """Key of the record that `consumer` applied the event."""
    return f"{consumer}:{event_id}"


class ProcessedEvents:
    """The record of events each consumer has applied, in that service's own database."""

    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db["processed_events"]

    async def ensure_indexes(self) -> None:
        """Index by consumer for counting; uniqueness comes from `_id`."""
        await self._collection.create_index([("consumer", 1), ("event_id", 1)], unique=True)

    async def seen_among(self, consumer: str, event_ids: Iterable[UUID | str]) -> set[str]:
        """Which of the events (as strings) the consumer already applied."""
        keys = [marker_id(consumer, e) for e in event_ids]
        if not keys:
            return set()
        found = self._collection.find({"_id": {"$in": keys}}, {"event_id": 1})
        return {document["event_id"] async for document in found}

    async def prune(self, older_than: datetime) -> int:
        """Forget markers applied before a time (older than Kafka keeps events); return how many."""
        result = await self._collection.delete_many({"applied_at": {"$lt": older_than}})
        return result.deleted_count

    async def record(self, consumer: str, event_ids: Iterable[UUID | str]) -> None:
        """Record that the consumer applied the events (already recorded ones are skipped)."""
        now = datetime.now(UTC)
        documents = [
            {
                "_id": marker_id(consumer, e),
                "consumer": consumer,
                "event_id": str(e),
                "applied_at": now,
            }
            for e in event_ids
        ]
        await insert_new(self._collection, documents)
