"""The member read model's storage."""

from dataclasses import asdict
from typing import Any, Protocol

from cmo_shared.mongo import insert_new
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import MemberFacts


class MemberView(Protocol):
    """The members as advocacy knows them."""

    async def put(self, member: MemberFacts) -> None:
        """Insert or replace a member."""
        ...

    async def set_status(self, member_id: str, status: str) -> None:
        """Record a member's new status (one not seen yet is ignored)."""
        ...

    async def get(self, member_id: str) -> MemberFacts | None:
        """A member, if known."""
        ...

    async def with_status(self, statuses: list[str]) -> list[MemberFacts]:
        """Every member in one of the statuses."""
        ...

    async def many(self, member_ids: list[str]) -> dict[str, MemberFacts]:
        """The known members among some ids."""
        ...


class MongoMemberView:
    """The `member_view` collection."""

    collection_name = "member_view"
    indexes = [IndexModel([("status", ASCENDING)])]

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def put(self, member: MemberFacts) -> None:
        """Insert first (updates cost a scan on FerretDB), replace if it exists."""
        document = asdict(member)
        document["_id"] = document.pop("member_id")
        if not await insert_new(self._collection, [document]):
            await self._collection.replace_one({"_id": document["_id"]}, document)

    async def set_status(self, member_id: str, status: str) -> None:
        """Record a member's new status (one not seen yet is ignored)."""
        await self._collection.update_one({"_id": member_id}, {"$set": {"status": status}})

    async def get(self, member_id: str) -> MemberFacts | None:
        """A member, if known."""
        document = await self._collection.find_one({"_id": member_id})
        return None if document is None else _member(document)

    async def with_status(self, statuses: list[str]) -> list[MemberFacts]:
        """Every member in one of the statuses."""
        cursor = self._collection.find({"status": {"$in": statuses}})
        return [_member(d) async for d in cursor]

    async def many(self, member_ids: list[str]) -> dict[str, MemberFacts]:
        """The known members among some ids, in one query."""
        if not member_ids:
            return {}
        cursor = self._collection.find({"_id": {"$in": sorted(set(member_ids))}})
        return {d["_id"]: _member(d) async for d in cursor}


def _member(document: dict[str, Any]) -> MemberFacts:
    values = {k: v for k, v in document.items() if k != "_id"}
    return MemberFacts(member_id=document["_id"], **values)
