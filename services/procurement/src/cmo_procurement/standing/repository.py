"""Read models of members and of the catalogue, kept from events (no events of their own)."""

from dataclasses import asdict
from typing import Any, Protocol

from cmo_shared.mongo import insert_new
from pymongo.asynchronous.collection import AsyncCollection

from .domain import CatalogueFacts, MemberFacts


class MemberView(Protocol):
    """The members as procurement knows them."""

    async def put(self, member: MemberFacts) -> None:
        """Insert or replace a member."""
        ...

    async def set_status(self, member_id: str, status: str) -> None:
        """Record a member's new status (one not seen yet is ignored)."""
        ...

    async def get(self, member_id: str) -> MemberFacts | None:
        """A member, if known."""
        ...

    async def many(self, member_ids: list[str]) -> dict[str, MemberFacts]:
        """The known members among some ids."""
        ...


class CatalogueView(Protocol):
    """The catalogue entries of the years seen."""

    async def put(self, entry: CatalogueFacts) -> None:
        """Insert or replace an entry."""
        ...

    async def get(self, year: int, slug: str) -> CatalogueFacts | None:
        """A year's entry of a service, if the catalogue has one."""
        ...


async def _upsert(collection: AsyncCollection, document: dict[str, Any]) -> None:
    """Insert first (FerretDB's cheapest write), replace if it exists."""
    if not await insert_new(collection, [document]):
        await collection.replace_one({"_id": document["_id"]}, document)


class MongoCatalogueView:
    """The `catalogue_view` collection, `_id` `<year>:<slug>`."""

    collection_name = "catalogue_view"

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def put(self, entry: CatalogueFacts) -> None:
        """Insert or replace an entry."""
        await _upsert(self._collection, {"_id": f"{entry.year}:{entry.slug}", **asdict(entry)})

    async def get(self, year: int, slug: str) -> CatalogueFacts | None:
        """A year's entry of a service, if the catalogue has one."""
        document = await self._collection.find_one({"_id": f"{year}:{slug}"})
        if document is None:
            return None
        return CatalogueFacts(**{k: v for k, v in document.items() if k != "_id"})
