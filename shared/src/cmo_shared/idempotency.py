"""Idempotent consumer: each (consumer, event id) takes effect once, enforced by unique keys.

A *marker* keyed `<consumer>:<event id>` is inserted after an event's effects: the record that
it was applied. A batch looks its ids up among the markers with one `$in` on `_id`, an index
look-up on MongoDB and on the FerretDB that `cmo` builds, and applies the others. Markers are
insert-only. If the process dies between an effect and its marker, the next delivery applies
the effect again, so effects are themselves keyed by natural ids (e.g. one delivery per event,
recipient and channel under a unique index).
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from .mongo import find_by_ids, insert_new

LEFT_BY_EARLIER_VERSIONS = "sighted_events"
"""Ids seen before their markers: what stock FerretDB 1.24, which scans for `$in`, needed."""
REDUNDANT_INDEX = "consumer_1_event_id_1"
"""A unique (consumer, event id) index earlier versions kept: `_id` already holds both."""
ALREADY_GONE = (26, 27)  # no such collection, no such index


def marker_id(consumer: str, event_id: UUID | str) -> str:
    """Key of the record that `consumer` applied the event."""
    return f"{consumer}:{event_id}"


class ProcessedEvents:
    """The record of events each consumer has applied, in that service's database."""

    def __init__(self, db: AsyncDatabase) -> None:
        self._db = db
        self._collection = db["processed_events"]

    async def ensure_indexes(self) -> None:
        """Drop what earlier versions kept besides markers keyed by `_id`.

        A second index on every marker cost each insert a fifth of its time, for no query.
        """
        try:
            await self._collection.drop_index(REDUNDANT_INDEX)
        except OperationFailure as failure:
            if failure.code not in ALREADY_GONE:
                raise
        await self._db.drop_collection(LEFT_BY_EARLIER_VERSIONS)

    async def applied_among(self, consumer: str, event_ids: Iterable[UUID | str]) -> set[str]:
        """Which of the events (as strings) the consumer already applied."""
        wanted = [marker_id(consumer, str(e)) for e in event_ids]
        found = find_by_ids(self._collection, wanted, {"event_id": 1})
        return {document["event_id"] async for document in found}

    async def prune(self, older_than: datetime) -> int:
        """Forget markers from before a time (older than Kafka keeps events); return how many."""
        result = await self._collection.delete_many({"applied_at": {"$lt": older_than}})
        return result.deleted_count

    async def record(self, consumer: str, event_ids: Iterable[UUID | str]) -> None:
        """Record that the consumer applied the events (already recorded ones are skipped)."""
        now = datetime.now(UTC)
        await insert_new(
            self._collection,
            [
                {
                    "_id": marker_id(consumer, e),
                    "consumer": consumer,
                    "event_id": e,
                    "applied_at": now,
                }
                for e in dict.fromkeys(str(e) for e in event_ids)
            ],
        )
