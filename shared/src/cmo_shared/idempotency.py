"""Idempotent consumer: each (consumer, event id) takes effect once, enforced by a unique index."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

DONE = "done"
STARTED = "started"


class ProcessedEvents:
    """The record of events each consumer has applied, in that service's own database."""

    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db["processed_events"]

    async def ensure_indexes(self) -> None:
        """Create the unique index that makes the record authoritative."""
        await self._collection.create_index([("consumer", 1), ("event_id", 1)], unique=True)

    async def apply_once(
        self, consumer: str, event_id: UUID, effect: Callable[[], Awaitable[None]]
    ) -> bool:
        """Run `effect` unless this consumer already completed it; return whether it ran.

        The marker is claimed before the effect and completed after it. If the process dies
        in between, the next delivery runs the effect again, so effects must themselves be
        keyed by natural ids (e.g. a delivery per event, recipient and channel).
        """
        key = {"consumer": consumer, "event_id": str(event_id)}
        try:
            await self._collection.insert_one(
                {**key, "status": STARTED, "started_at": datetime.now(UTC)}
            )
        except DuplicateKeyError:
            marker = await self._collection.find_one(key, {"status": 1})
            if marker is not None and marker["status"] == DONE:
                return False
        await effect()
        await self._collection.update_one(
            key, {"$set": {"status": DONE, "done_at": datetime.now(UTC)}}
        )
        return True

    async def count(self, consumer: str) -> int:
        """How many events this consumer has completed."""
        return await self._collection.count_documents({"consumer": consumer, "status": DONE})
