"""MongoDB storage of the funding service: calls, the member read model, matches, applications."""

from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import date
from decimal import Decimal
from typing import Any

from cmo_shared.errors import NotFound
from cmo_shared.events import Envelope
from cmo_shared.events.members import GOOD_STANDING
from cmo_shared.mongo import insert_new
from cmo_shared.outbox import push_events
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

from .calls import CallStatus, FundingCall
from .eligibility import Criteria, MemberFacts

CALLS = "calls"
MEMBERS = "member_view"
MATCHES = "matches"
APPLICATIONS = "applications"


def call_document(call: FundingCall) -> dict[str, Any]:
    """A call as stored: dates as ISO strings, amounts as exact decimal strings."""
    document = asdict(call)
    document["_id"] = document.pop("call_id")
    document["criteria"] = {
        k: list(v) if isinstance(v, tuple) else v for k, v in document["criteria"].items()
    }
    for name in ("opens_on", "closes_on"):
        document[name] = document[name].isoformat()
    for name in ("amount_min", "amount_max"):
        document[name] = None if document[name] is None else str(document[name])
    return document


def call_from(document: dict[str, Any]) -> FundingCall:
    """The call a stored document holds."""
    values = {f.name: document[f.name] for f in fields(FundingCall) if f.name in document}
    values["call_id"] = document["_id"]
    values["status"] = CallStatus(document["status"])
    values["criteria"] = Criteria.from_dict(document["criteria"])
    for name in ("opens_on", "closes_on"):
        values[name] = date.fromisoformat(document[name])
    for name in ("amount_min", "amount_max"):
        values[name] = None if document[name] is None else Decimal(document[name])
    return FundingCall(**values)


class CallRepository:
    """Funding calls; each change and its events are one document update."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """Lists and jobs filter by status and close date."""
        await self._collection.create_index([("status", ASCENDING), ("closes_on", ASCENDING)])

    async def add(self, call: FundingCall) -> None:
        """Store a new draft."""
        await self._collection.insert_one(call_document(call))

    async def get(self, call_id: str) -> FundingCall:
        """One call, or `NotFound`."""
        document = await self._collection.find_one({"_id": call_id}, {"outbox": 0})
        if document is None:
            raise NotFound(f"funding call {call_id} not found", field="call_id")
        return call_from(document)

    async def save(self, call: FundingCall, events: Sequence[Envelope[Any]] = ()) -> None:
        """Store a changed call with its new events (the caller holds the call's lock)."""
        state = call_document(call)
        del state["_id"]
        update: dict[str, Any] = {"$set": state}
        if events:
            update["$push"] = push_events(events)
        await self._collection.update_one({"_id": call.call_id}, update)

    async def find(
        self, query: dict[str, Any], *, skip: int = 0, limit: int = 0
    ) -> tuple[list[FundingCall], int]:
        """Calls matching a query, closing soonest first, and their total."""
        total = await self._collection.count_documents(query)
        cursor = self._collection.find(query, {"outbox": 0}).sort(
            [("closes_on", ASCENDING), ("_id", ASCENDING)]
        )
        return [call_from(d) for d in await cursor.skip(skip).limit(limit).to_list(None)], total


class MemberView:
    """The members as the funding service knows them, kept from the members service's events."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """Matching reads members by status."""
        await self._collection.create_index([("status", ASCENDING)])

    async def put(self, facts: MemberFacts) -> None:
        """Insert or replace a member's facts."""
        document = {**asdict(facts), "certifications": list(facts.certifications)}
        document["_id"] = document.pop("member_id")
        if not await insert_new(self._collection, [document]):
            await self._collection.replace_one({"_id": document["_id"]}, document)

    async def set_status(self, member_id: str, status: str) -> None:
        """Record a member's new lifecycle status (a member not seen yet is ignored)."""
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


class MatchRepository:
    """Matches between calls and members: insert-only, one per call and member, ever."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """A member's matches and a call's matches are listed."""
        await self._collection.create_index([("member_id", ASCENDING)])
        await self._collection.create_index([("call_id", ASCENDING)])

    async def add_new(self, documents: list[dict[str, Any]]) -> int:
        """Store matches; existing ones are kept as they are."""
        return await insert_new(self._collection, documents)

    async def matched_members(self, call_id: str) -> set[str]:
        """Members already matched to a call."""
        cursor = self._collection.find({"call_id": call_id}, {"member_id": 1})
        return {d["member_id"] async for d in cursor}

    async def get(self, call_id: str, member_id: str) -> dict[str, Any] | None:
        """The match of a member to a call, if any."""
        return await self._collection.find_one({"_id": f"{call_id}:{member_id}"})

    async def find(
        self, query: dict[str, Any], *, skip: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """Matches, newest first, and their total."""
        total = await self._collection.count_documents(query)
        cursor = self._collection.find(query).sort([("matched_at", DESCENDING), ("_id", ASCENDING)])
        return await cursor.skip(skip).limit(limit).to_list(None), total

    async def count(self, call_id: str) -> int:
        """How many members a call was matched with."""
        return await self._collection.count_documents({"call_id": call_id})


class ApplicationRepository:
    """Members' applications to calls, `_id` `<call id>:<member id>`, with their outbox."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """Applications are listed by call, member and status."""
        await self._collection.create_index([("call_id", ASCENDING), ("status", ASCENDING)])
        await self._collection.create_index([("member_id", ASCENDING)])

    async def add(self, document: dict[str, Any]) -> bool:
        """Store a new application with its outbox; False if it exists already."""
        return bool(await insert_new(self._collection, [document]))

    async def get(self, application_id: str) -> dict[str, Any]:
        """One application, or `NotFound`."""
        document = await self._collection.find_one({"_id": application_id}, {"outbox": 0})
        if document is None:
            raise NotFound(f"application {application_id} not found", field="application_id")
        return document

    async def update(
        self, application_id: str, changes: dict[str, Any], events: Sequence[Envelope[Any]]
    ) -> None:
        """Store changes and their events in one update (the caller holds the lock)."""
        await self._collection.update_one(
            {"_id": application_id}, {"$set": changes, "$push": push_events(events)}
        )

    async def find(
        self, query: dict[str, Any], *, skip: int = 0, limit: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        """Applications, oldest first, and their total."""
        total = await self._collection.count_documents(query)
        cursor = self._collection.find(query, {"outbox": 0}).sort("created_at", ASCENDING)
        return await cursor.skip(skip).limit(limit).to_list(None), total
