"""Storage of member companies: the protocol the use cases need and its MongoDB adapter."""

import re
from contextlib import AbstractAsyncContextManager
from dataclasses import asdict
from typing import Any, Protocol

from cmo_shared.store import AggregateStore, Change, Event
from pymongo import ASCENDING, IndexModel

from .domain import Contact, HistoryEntry, Member, MemberStatus


class MemberRepository(Protocol):
    """Member companies (and applicants) of the cluster."""

    async def get(self, member_id: str) -> Member:
        """One member, or `NotFound`."""
        ...

    async def add(self, member: Member, events: list[Event]) -> None:
        """Store a new member with its first events; `Duplicate` if its tax id is taken."""
        ...

    def changing(self, member_id: str) -> AbstractAsyncContextManager[Change[Member]]:
        """A member loaded for a change, saved with the events recorded on success."""
        ...

    async def list(
        self,
        *,
        statuses: list[MemberStatus] | None,
        sector: str | None = None,
        page: int = 1,
        page_size: int = 0,
        public_only: bool = False,
        text: str | None = None,
    ) -> tuple[list[Member], int]:
        """One page of members matching the filters, oldest first (`page_size` 0: all).

        `text` finds members whose legal name or tax id contains it, in any case.
        """
        ...


class MongoMembers(AggregateStore[Member]):
    """Members in the `members` collection; tax ids are unique."""

    collection_name = "members"
    noun = "member"
    indexes = [
        IndexModel("tax_id", unique=True),
        IndexModel([("status", ASCENDING), ("sector", ASCENDING)]),
    ]

    def to_document(self, item: Member) -> dict[str, Any]:
        """The member's fields, its id as `_id`."""
        document = asdict(item)
        document["_id"] = document.pop("member_id")
        return document

    def from_document(self, document: dict[str, Any]) -> Member:
        """A member from its stored fields."""
        fields = {k: v for k, v in document.items() if k != "_id"}
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

    async def list(
        self,
        *,
        statuses: list[MemberStatus] | None,
        sector: str | None = None,
        page: int = 1,
        page_size: int = 0,
        public_only: bool = False,
        text: str | None = None,
    ) -> tuple[list[Member], int]:
        """One page of members matching the filters, oldest first (`page_size` 0: all).

        `text` finds members whose legal name or tax id contains it, in any case.
        """
        query: dict[str, Any] = {}
        if statuses:
            query["status"] = {"$in": [s.value for s in statuses]}
        if public_only:
            query["public_listing"] = True
        if sector is not None:
            query["sector"] = sector
        if text:
            pattern = {"$regex": re.escape(text), "$options": "i"}
            query["$or"] = [{"legal_name": pattern}, {"tax_id": pattern}]
        return await self.page(
            query, sort=[("created_at", ASCENDING)], page=page, page_size=page_size
        )
