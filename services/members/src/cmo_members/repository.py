"""MongoDB storage of members; each change and its events are saved in one document update."""

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from cmo_shared.errors import Conflict, NotFound
from cmo_shared.events import Envelope
from cmo_shared.outbox import outbox_entries, push_events
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from .domain import Contact, HistoryEntry, Member, MemberStatus, NotInGoodStanding

COLLECTION = "members"


class DuplicateTaxId(Conflict):
    """Another member already has this tax id."""

    code = "duplicate_tax_id"


def _to_document(member: Member) -> dict[str, Any]:
    document = asdict(member)
    document["_id"] = document.pop("member_id")
    return document


def _from_document(document: dict[str, Any]) -> Member:
    fields = {k: v for k, v in document.items() if k not in ("_id", "outbox")}
    fields["member_id"] = document["_id"]
    fields["status"] = MemberStatus(document["status"])
    fields["contacts"] = [Contact(**c) for c in document["contacts"]]
    fields["history"] = [
        HistoryEntry(
            from_status=MemberStatus(h["from_status"]) if h["from_status"] else None,
            to_status=MemberStatus(h["to_status"]),
            actor=h["actor"],
            reason=h["reason"],
            at=h["at"],
        )
        for h in document["history"]
    ]
    return Member(**fields)


class MemberRepository:
    """Members of the cluster in the members service's database."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """Tax ids are unique; lists filter by status and sector."""
        await self._collection.create_index("tax_id", unique=True)
        await self._collection.create_index([("status", ASCENDING), ("sector", ASCENDING)])

    async def add(self, member: Member, events: Sequence[Envelope[Any]]) -> None:
        """Insert a new member together with its first events."""
        document = _to_document(member)
        document["outbox"] = outbox_entries(events)
        try:
            await self._collection.insert_one(document)
        except DuplicateKeyError as exc:
            raise DuplicateTaxId(
                f"a member with tax id {member.tax_id} already exists", field="tax_id"
            ) from exc

    async def get(self, member_id: str) -> Member:
        """Load a member or raise `NotFound`."""
        document = await self._collection.find_one({"_id": member_id}, {"outbox": 0})
        if document is None:
            raise NotFound(f"member {member_id} not found", field="member_id")
        return _from_document(document)

    async def get_in_good_standing(self, member_id: str) -> Member:
        """Load a member that may use the common services, or raise `NotInGoodStanding`."""
        member = await self.get(member_id)
        if not member.in_good_standing:
            raise NotInGoodStanding(
                f"member {member_id} is {member.status}, not in good standing",
                field="member_id",
            )
        return member

    async def save(self, member: Member, events: Sequence[Envelope[Any]]) -> None:
        """Store a changed member and its new events atomically, if nobody changed it since."""
        state = _to_document(member)
        del state["_id"]
        expected = state.pop("version")
        result = await self._collection.update_one(
            {"_id": member.member_id, "version": expected},
            {"$set": {**state, "version": expected + 1}, "$push": push_events(events)},
        )
        if result.matched_count == 0:
            raise Conflict("the member was changed concurrently; retry", field="version")
        member.version = expected + 1

    async def list(
        self,
        *,
        statuses: list[MemberStatus] | None,
        sector: str | None,
        page: int = 1,
        page_size: int = 0,
        public_only: bool = False,
    ) -> tuple[list[Member], int]:
        """One page of members matching the filters (`page_size` 0: all), and the total."""
        query: dict[str, Any] = {}
        if statuses:
            query["status"] = {"$in": [s.value for s in statuses]}
        if public_only:
            query["public_listing"] = True
        if sector is not None:
            query["sector"] = sector
        total = await self._collection.count_documents(query)
        cursor = (
            self._collection.find(query, {"outbox": 0})
            .sort("created_at", ASCENDING)
            .skip((page - 1) * page_size)
            .limit(page_size)
        )
        return [_from_document(d) async for d in cursor], total
