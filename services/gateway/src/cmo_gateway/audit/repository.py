"""The audit log: every state-changing request, appended and never changed."""

from datetime import datetime
from typing import Any

from cmo_shared.http import given
from pymongo import DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

AUDIT = "audit"


class AuditLog:
    """Who did what, to which resource, with which result, and when."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """Listing is newest first."""
        await self._collection.create_index([("at", DESCENDING)])

    async def record(self, entry: dict[str, Any]) -> None:
        """Append one entry."""
        await self._collection.insert_one(entry)

    async def find(
        self,
        *,
        user_id: str | None,
        member_id: str | None,
        service: str | None,
        route: str | None,
        outcome: str | None,
        since: datetime | None,
        until: datetime | None,
        skip: int,
        limit: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """Entries matching the filters, newest first, and their total."""
        query: dict[str, Any] = given(
            user_id=user_id, member_id=member_id, service=service, route=route, outcome=outcome
        )
        window = given(**{"$gte": since, "$lt": until})
        if window:
            query["at"] = window
        total = await self._collection.count_documents(query)
        cursor = self._collection.find(query).sort("at", DESCENDING).skip(skip).limit(limit)
        return await cursor.to_list(None), total
