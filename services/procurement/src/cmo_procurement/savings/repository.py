"""Storage of allocations: insert-only, one per member and awarded lot."""

from typing import Any, Protocol

from cmo_shared.codec import item_from, to_document
from cmo_shared.http import given
from cmo_shared.mongo import insert_new
from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import Allocation


class AllocationRepository(Protocol):
    """Members' allocations, written once each."""

    async def add_new(self, allocations: list[Allocation]) -> int:
        """Store the allocations not stored yet; how many were new."""
        ...

    async def search(
        self,
        *,
        member_id: str | None = None,
        tender_id: str | None = None,
        year: int | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Allocation], int]:
        """Allocations matching the filters, newest first, and their total."""
        ...

    async def ids_of(self, tender_id: str) -> set[str]:
        """The ids of a tender's allocations stored so far."""
        ...


class MongoAllocations:
    """The `allocations` collection, `_id` `<tender>:<lot>:<member>`."""

    collection_name = "allocations"
    indexes = [
        IndexModel([("member_id", ASCENDING)]),
        IndexModel([("tender_id", ASCENDING)]),
        IndexModel([("year", ASCENDING)]),
    ]

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def add_new(self, allocations: list[Allocation]) -> int:
        """Store the allocations not stored yet (one bulk insert); how many were new."""
        return await insert_new(
            self._collection, [{"_id": a.allocation_id, **to_document(a)} for a in allocations]
        )

    async def search(
        self,
        *,
        member_id: str | None = None,
        tender_id: str | None = None,
        year: int | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Allocation], int]:
        """Allocations matching the filters, newest first, and their total."""
        query: dict[str, Any] = given(member_id=member_id, tender_id=tender_id, year=year)
        total = await self._collection.count_documents(query)
        cursor = (
            self._collection.find(query)
            .sort([("awarded_at", DESCENDING), ("_id", ASCENDING)])
            .skip((page - 1) * page_size)
            .limit(page_size)
        )
        return [item_from(Allocation, d) async for d in cursor], total

    async def ids_of(self, tender_id: str) -> set[str]:
        """The ids of a tender's allocations stored so far."""
        cursor = self._collection.find({"tender_id": tender_id}, {"_id": 1})
        return {d["_id"] async for d in cursor}
