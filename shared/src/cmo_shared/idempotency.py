"""Idempotent consumer: each (consumer, event id) takes effect once, enforced by unique keys.

Two insert-only records, both keyed `<consumer>:<event id>`:

- a *sighting*, inserted when a batch arrives, before its effects: an id whose sighting is new
  cannot have been applied, so it needs no look-up;
- a *marker*, inserted after the event's effects: the record that it was applied.

Only ids sighted before (a redelivery, a republished copy, a replay) are looked up among the
markers. FerretDB 1.24 answers that `$in` with a scan of every marker kept, so the common case
of new events costs one bulk insert whatever the size of the record (inserts by `_id` stay fast
as it grows, and FerretDB scans the whole collection on every update, so neither record is ever
updated). If the process dies between an effect and its marker, the next delivery applies the
effect again, so effects are themselves keyed by natural ids (e.g. one delivery per event,
recipient and channel under a unique index).
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase

from .mongo import insert_new, insert_unordered

SIGHTING_MARGIN = timedelta(days=1)


def marker_id(consumer: str, event_id: UUID | str) -> str:
    """Key of the record that `consumer` applied (or sighted) the event."""
    return f"{consumer}:{event_id}"


def _records(consumer: str, event_ids: Iterable[UUID | str], at: str) -> list[dict]:
    """One record per distinct event id, keyed by `marker_id`, stamped now under `at`."""
    now = datetime.now(UTC)
    distinct = dict.fromkeys(str(e) for e in event_ids)
    return [
        {"_id": marker_id(consumer, e), "consumer": consumer, "event_id": e, at: now}
        for e in distinct
    ]


class ProcessedEvents:
    """The record of events each consumer has sighted and applied, in that service's database."""

    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db["processed_events"]
        self._sightings = db["sighted_events"]

    async def ensure_indexes(self) -> None:
        """Index by consumer for counting; sight every marker kept before sightings existed."""
        await self._collection.create_index([("consumer", 1), ("event_id", 1)], unique=True)
        if await self._sightings.find_one({}, {"_id": 1}) is None:
            older = self._collection.find({}, {"consumer": 1, "event_id": 1, "applied_at": 1})
            sightings = [
                {
                    "_id": marker["_id"],
                    "consumer": marker["consumer"],
                    "event_id": marker["event_id"],
                    "sighted_at": marker["applied_at"],
                }
                async for marker in older
            ]
            await insert_new(self._sightings, sightings)

    async def applied_among(self, consumer: str, event_ids: Iterable[UUID | str]) -> set[str]:
        """Which of the events (as strings) the consumer already applied; sights every one."""
        sightings = _records(consumer, event_ids, "sighted_at")
        seen = [sightings[i]["_id"] for i in await insert_unordered(self._sightings, sightings)]
        if not seen:
            return set()
        found = self._collection.find({"_id": {"$in": seen}}, {"event_id": 1})
        return {document["event_id"] async for document in found}

    async def prune(self, older_than: datetime) -> int:
        """Forget markers from before a time (older than Kafka keeps events); return how many.

        Sightings are kept a day longer, so that no marker outlives its sighting even when an
        event's effects came long after it arrived (an outage waited out).
        """
        result = await self._collection.delete_many({"applied_at": {"$lt": older_than}})
        await self._sightings.delete_many({"sighted_at": {"$lt": older_than - SIGHTING_MARGIN}})
        return result.deleted_count

    async def record(self, consumer: str, event_ids: Iterable[UUID | str]) -> None:
        """Record that the consumer applied the events (already recorded ones are skipped)."""
        await insert_new(self._collection, _records(consumer, event_ids, "applied_at"))
