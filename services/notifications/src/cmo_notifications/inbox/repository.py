"""The in-app inbox of each contact: entries, their status and counts."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from cmo_shared.mongo import insert_new
from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

INBOX = "inbox"


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
