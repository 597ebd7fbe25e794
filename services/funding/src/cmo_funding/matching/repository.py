"""Storage of the matching: the members as this service knows them, and the matches."""

from dataclasses import asdict
from typing import Any, Protocol

from cmo_contracts.members import GOOD_STANDING
from cmo_shared.http import given
from cmo_shared.mongo import find_by_ids, insert_new, insert_or_replace
from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import Match, MemberFacts, match_id


class MemberView(Protocol):
    """The members as the funding service knows them, kept from the members' events."""

    async def put_many(self, facts: list[MemberFacts]) -> None:
        """Insert or replace members' facts."""
        ...

    async def get_many(self, member_ids: list[str]) -> dict[str, MemberFacts]:
        """The facts of those of the members that are known, by member id."""
        ...

    async def set_status(self, member_id: str, status: str) -> None:
        """Record a member's new status (a member not seen yet is ignored)."""
        ...

    async def get(self, member_id: str) -> MemberFacts | None:
        """A member's facts, if known."""
        ...

    async def in_good_standing(self) -> list[MemberFacts]:
        """Every member that may be matched at all."""
        ...


class MatchRepository(Protocol):
    """Matches between calls and members: insert-only, one per call and member, ever."""

    async def add_new(self, matches: list[Match]) -> int:
        """Store matches; existing ones are kept as they are."""
        ...

    async def matched_among(self, call_id: str, member_ids: list[str]) -> set[str]:
        """Those of the members already matched to a call."""
        ...

    async def get(self, call_id: str, member_id: str) -> Match | None:
        """The match of a member to a call, if any."""
        ...

    async def search(
        self, *, call_id: str | None = None, member_id: str | None = None, page: int, page_size: int
    ) -> tuple[list[Match], int]:
        """A call's or a member's matches, newest first, and their total."""
        ...

    async def count(self, call_id: str) -> int:
        """How many members a call was matched with."""
        ...


class MongoMemberView:
    """The `member_view` collection (a read model: no events)."""

    collection_name = "member_view"
    indexes = [IndexModel([("status", ASCENDING)])]

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def put_many(self, facts: list[MemberFacts]) -> None:
        """Insert or replace members' facts (new ones in one bulk insert: updates scan here)."""
        documents = []
        for one in facts:
            document = {**asdict(one), "certifications": list(one.certifications)}
            document["_id"] = document.pop("member_id")
            documents.append(document)
        await insert_or_replace(self._collection, documents)

    async def get_many(self, member_ids: list[str]) -> dict[str, MemberFacts]:
        """The facts of those of the members that are known, by member id."""
        found = find_by_ids(self._collection, member_ids)
        return {d["_id"]: self._facts(d) async for d in found}

    async def set_status(self, member_id: str, status: str) -> None:
        """Record a member's new status (a member not seen yet is ignored)."""
        await self._collection.update_one({"_id": member_id}, {"$set": {"status": status}})

    async def get(self, member_id: str) -> MemberFacts | None:
        """A member's facts, if known."""
        document = await self._collection.find_one({"_id": member_id})
        return None if document is None else self._facts(document)

    async def in_good_standing(self) -> list[MemberFacts]:
        """Every member that may be matched at all."""
        cursor = self._collection.find({"status": {"$in": sorted(GOOD_STANDING)}})
        return [self._facts(d) async for d in cursor]

    @staticmethod
    def _facts(document: dict[str, Any]) -> MemberFacts:
        values = {k: v for k, v in document.items() if k != "_id"}
        return MemberFacts(member_id=document["_id"], **values)


class MongoMatches:
    """The `matches` collection, insert-only, `_id` `<call id>:<member id>`."""

    collection_name = "matches"
    indexes = [IndexModel([("member_id", ASCENDING)]), IndexModel([("call_id", ASCENDING)])]

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    @staticmethod
    def _match(document: dict[str, Any]) -> Match:
        return Match(**{k: v for k, v in document.items() if k != "_id"})

    async def add_new(self, matches: list[Match]) -> int:
        """Store matches in one bulk insert; existing ones are kept as they are."""
        return await insert_new(
            self._collection, [{"_id": m.match_id, **asdict(m)} for m in matches]
        )

    async def matched_among(self, call_id: str, member_ids: list[str]) -> set[str]:
        """Those of the members already matched to a call.

        Read by match id, so a batch of members costs the same however many the call has
        matched before.
        """
        ids = [match_id(call_id, m) for m in member_ids]
        found = find_by_ids(self._collection, ids, {"member_id": 1})
        return {d["member_id"] async for d in found}

    async def get(self, call_id: str, member_id: str) -> Match | None:
        """The match of a member to a call, if any."""
        document = await self._collection.find_one({"_id": match_id(call_id, member_id)})
        return None if document is None else self._match(document)

    async def search(
        self, *, call_id: str | None = None, member_id: str | None = None, page: int, page_size: int
    ) -> tuple[list[Match], int]:
        """A call's or a member's matches, newest first, and their total."""
        query = given(call_id=call_id, member_id=member_id)
        total = await self._collection.count_documents(query)
        cursor = (
            self._collection.find(query)
            .sort([("matched_at", DESCENDING), ("_id", ASCENDING)])
            .skip((page - 1) * page_size)
            .limit(page_size)
        )
        return [self._match(d) async for d in cursor], total

    async def count(self, call_id: str) -> int:
        """How many members a call was matched with."""
        return await self._collection.count_documents({"call_id": call_id})
