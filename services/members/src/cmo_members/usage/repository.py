"""Storage of members' uses of the common services: insert-only records keyed by use."""

from dataclasses import asdict
from typing import Any, Protocol

from cmo_shared.mongo import insert_new
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import Use

INDEXES = [IndexModel([("year", ASCENDING), ("member_id", ASCENDING)])]


class UsageRepository(Protocol):
    """Every use once, however often the event that records it is delivered."""

    async def add_new(self, uses: list[Use]) -> int:
        """Store the uses not stored yet; return how many were new."""
        ...

    async def of_year(self, year: int, *, member_id: str | None, slug: str | None) -> list[Use]:
        """A year's uses, of one member or one service when given."""
        ...


class MongoUsage:
    """Uses in the `service_usage` collection, `_id` the use's natural key."""

    collection_name = "service_usage"

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def add_new(self, uses: list[Use]) -> int:
        """Store the uses not stored yet (one bulk insert); return how many were new."""
        documents = []
        for use in uses:
            document = asdict(use)
            document["_id"] = document.pop("use_id")
            documents.append(document)
        return await insert_new(self._collection, documents)

    async def of_year(self, year: int, *, member_id: str | None, slug: str | None) -> list[Use]:
        """A year's uses, of one member or one service when given."""
        query: dict[str, Any] = {"year": year}
        if member_id is not None:
            query["member_id"] = member_id
        if slug is not None:
            query["slug"] = slug
        return [Use(use_id=d.pop("_id"), **d) async for d in self._collection.find(query)]
