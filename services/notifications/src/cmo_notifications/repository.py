"""Delivery records and inbox entries, each unique per event and recipient (and channel)."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from cmo_shared.mongo import insert_new
from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from .domain import DeliveryStatus

DELIVERIES = "deliveries"
INBOX = "inbox"
DUE = (DeliveryStatus.PENDING.value, DeliveryStatus.RETRYING.value)


class DeliveryRepository:
    """One record per (event, recipient, channel): what was sent, its status and attempts."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """The unique key that makes a redelivered event send nothing twice."""
        await self._collection.create_index(
            [("event_id", ASCENDING), ("recipient_id", ASCENDING), ("channel", ASCENDING)],
            unique=True,
        )
        await self._collection.create_index([("status", ASCENDING), ("next_attempt_at", ASCENDING)])

    async def add_new(self, deliveries: Sequence[dict[str, Any]]) -> int:
        """Record deliveries not recorded yet; return how many are new."""
        return await insert_new(self._collection, deliveries)

    async def due(self, channel: str, now: datetime, *, limit: int) -> list[dict[str, Any]]:
        """Up to `limit` deliveries of a channel whose next attempt is due, oldest first.

        Nothing is written to claim them: FerretDB 1.24 scans the collection for every document
        an update touches, so the one dispatcher of the deployment keeps its claims in memory.
        """
        query = {"channel": channel, "status": {"$in": list(DUE)}, "next_attempt_at": {"$lte": now}}
        return await self._collection.find(query).limit(limit).to_list(None)

    async def finish_many(self, delivery_ids: list[str], changes: dict[str, Any]) -> None:
        """Record the same outcome for many deliveries in one update."""
        # FerretDB evaluates `$in` about ten times slower per document than equality.
        selector = (
            {"_id": delivery_ids[0]} if len(delivery_ids) == 1 else {"_id": {"$in": delivery_ids}}
        )
        await self._collection.update_many(
            selector, {"$set": {**changes, "updated_at": datetime.now(UTC)}}
        )

    async def replay(self, query: dict[str, Any]) -> int:
        """Queue dead deliveries matching the query again, with a fresh retry schedule."""
        result = await self._collection.update_many(
            {**query, "status": DeliveryStatus.DEAD.value},
            {
                "$set": {
                    "status": DeliveryStatus.PENDING.value,
                    "attempts": 0,
                    "next_attempt_at": datetime.now(UTC),
                },
                "$inc": {"replays": 1},
            },
        )
        return result.modified_count

    async def find(
        self, query: dict[str, Any], *, skip: int, limit: int, with_content: bool = False
    ) -> list[dict[str, Any]]:
        """Delivery records matching a query, newest first (message bodies left out)."""
        cursor = (
            self._collection.find(query, None if with_content else {"text": 0, "html": 0})
            .sort("created_at", DESCENDING)
            .skip(skip)
            .limit(limit)
        )
        return await cursor.to_list(None)


class InboxRepository:
    """In-app inbox entries, one per (event, contact)."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """One entry per event and contact; listing by contact, newest first."""
        await self._collection.create_index(
            [("event_id", ASCENDING), ("contact_id", ASCENDING)], unique=True
        )
        await self._collection.create_index([("contact_id", ASCENDING), ("created_at", DESCENDING)])

    async def add_new(self, entries: Sequence[dict[str, Any]]) -> int:
        """Store entries not stored yet; return how many are new."""
        return await insert_new(self._collection, entries)

    async def list(
        self, contact_id: str, *, status: str | None, skip: int, limit: int
    ) -> tuple[list[dict[str, Any]], int, int]:
        """A page of a contact's entries, the total and the unread count."""
        query: dict[str, Any] = {"contact_id": contact_id}
        if status is not None:
            query["status"] = status
        total = await self._collection.count_documents(query)
        unread = await self._collection.count_documents(
            {"contact_id": contact_id, "status": "unread"}
        )
        cursor = self._collection.find(query).sort("created_at", DESCENDING).skip(skip).limit(limit)
        return await cursor.to_list(None), total, unread

    async def set_status(
        self, contact_id: str, entry_id: str, status: str
    ) -> dict[str, Any] | None:
        """Mark one of a contact's entries read, unread or archived."""
        return await self._collection.find_one_and_update(
            {"_id": entry_id, "contact_id": contact_id},
            {"$set": {"status": status, "updated_at": datetime.now(UTC)}},
            return_document=ReturnDocument.AFTER,
        )
