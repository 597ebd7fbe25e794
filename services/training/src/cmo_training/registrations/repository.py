"""Storage of registrations, and the seat ledger."""

from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Protocol

from cmo_shared.mongo import find_by_ids, insert_new
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import ACTIVE, Registration, RegistrationStatus, SeatHold

ONE_BATCH = 100_000
"""Read a session's seats in one round trip (FerretDB answers each `getMore` slowly)."""


class RegistrationRepository(Protocol):
    """Registrations."""

    async def add(self, registration: Registration, events: list[Event]) -> None:
        """Store a new registration."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Registration:
        """One registration, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Registration]]:
        """A registration loaded for a change, saved with its events on success."""
        ...

    async def of_session(
        self, session_id: str, statuses: list[str], member_id: str | None = None
    ) -> list[Registration]:
        """A session's registrations in some statuses, first registered first."""
        ...

    async def waiting(self, session_id: str) -> int:
        """How many of a session's registrations are on its waitlist."""
        ...

    async def anyone_waiting(self, session_id: str) -> bool:
        """Whether any of a session's registrations is on its waitlist."""
        ...

    async def offers_due(self, now: datetime) -> list[Registration]:
        """Offers whose hold time has passed."""
        ...

    async def of_member(self, member_id: str, statuses: list[str]) -> list[Registration]:
        """A company's registrations in some statuses."""
        ...

    async def existing(self, registration_ids: set[str]) -> set[str]:
        """Those of the ids that name a stored registration."""
        ...


class MongoRegistrations(DataclassStore[Registration]):
    """Registrations in the `registrations` collection."""

    collection_name = "registrations"
    noun = "registration"
    item_type = Registration
    key_attribute = "registration_id"
    indexes = [
        IndexModel([("session_id", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("member_id", ASCENDING)]),
        IndexModel([("status", ASCENDING), ("hold_until", ASCENDING)]),
    ]

    def subject_of(self, item: Registration, document: dict) -> str:
        """A company's registration events are keyed by the company."""
        return item.member_id

    async def of_session(
        self, session_id: str, statuses: list[str], member_id: str | None = None
    ) -> list[Registration]:
        """A session's registrations in some statuses, first registered first."""
        query: dict = {"session_id": session_id, "status": {"$in": statuses}}
        if member_id is not None:
            query["member_id"] = member_id
        found = await self.find(query)
        return sorted(found, key=lambda r: (r.registered_at, r.registration_id))

    async def waiting(self, session_id: str) -> int:
        """How many of a session's registrations are on its waitlist.

        An index count on MongoDB; FerretDB 1.24 decodes every document it counts (175 ms
        for 1,750 waitlisted), so callers count seldom (`WaitlistLengths`).
        """
        return await self.collection.count_documents(_waitlisted(session_id))

    async def anyone_waiting(self, session_id: str) -> bool:
        """Whether any of a session's registrations is on its waitlist (one look-up)."""
        return await self.collection.find_one(_waitlisted(session_id), {"_id": 1}) is not None

    async def offers_due(self, now: datetime) -> list[Registration]:
        """Offers whose hold time has passed."""
        return await self.find(
            {"status": RegistrationStatus.OFFERED.value, "hold_until": {"$lte": now}}
        )

    async def of_member(self, member_id: str, statuses: list[str]) -> list[Registration]:
        """A company's registrations in some statuses."""
        return await self.find({"member_id": member_id, "status": {"$in": statuses}})

    async def existing(self, registration_ids: set[str]) -> set[str]:
        """Those of the ids that name a stored registration."""
        found = find_by_ids(self.collection, sorted(registration_ids), {"_id": 1})
        return {d["_id"] async for d in found}


def _waitlisted(session_id: str) -> dict[str, str]:
    return {"session_id": session_id, "status": RegistrationStatus.WAITLISTED.value}


class SeatLedger(Protocol):
    """Who holds each seat of a session, written only by unique-key inserts."""

    async def holds(self, session_id: str) -> dict[int, SeatHold]:
        """Each seat's latest generation."""
        ...

    async def take(self, session_id: str, hold: SeatHold) -> bool:
        """Write a seat's next generation; False if another writer wrote it first."""
        ...

    async def taken_between(self, since: datetime, until: datetime) -> list[tuple[str, SeatHold]]:
        """Seat generations written in a time span, with their session."""
        ...


class MongoSeats:
    """The `seats` collection, `_id` `<session>:<seat>:<generation>`, insert-only."""

    collection_name = "seats"
    indexes = [IndexModel([("session_id", ASCENDING)]), IndexModel([("taken_at", ASCENDING)])]

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def holds(self, session_id: str) -> dict[int, SeatHold]:
        """Each seat's latest generation."""
        latest: dict[int, SeatHold] = {}
        async for d in self._collection.find({"session_id": session_id}).batch_size(ONE_BATCH):
            if d["seat"] not in latest or d["generation"] > latest[d["seat"]].generation:
                latest[d["seat"]] = SeatHold(d["seat"], d["generation"], d["holder"])
        return latest

    async def take(self, session_id: str, hold: SeatHold) -> bool:
        """Write a seat's next generation; False if another writer wrote it first."""
        document = {
            "_id": f"{session_id}:{hold.seat}:{hold.generation}",
            "session_id": session_id,
            "seat": hold.seat,
            "generation": hold.generation,
            "holder": hold.holder,
            "taken_at": datetime.now(UTC),
        }
        return bool(await insert_new(self._collection, [document]))

    async def taken_between(self, since: datetime, until: datetime) -> list[tuple[str, SeatHold]]:
        """Seat generations written in a time span, with their session."""
        found = self._collection.find({"taken_at": {"$gte": since, "$lte": until}})
        return [
            (d["session_id"], SeatHold(d["seat"], d["generation"], d["holder"]))
            async for d in found
        ]


__all__ = ["ACTIVE", "MongoRegistrations", "MongoSeats", "RegistrationRepository", "SeatLedger"]
