"""The member companies and their contacts, kept from the members service's events.

Audiences are resolved from this read model, never by calling another service.
"""

from datetime import UTC, datetime
from typing import Any

from cmo_contracts import Envelope, decode, encode
from cmo_contracts.members import GOOD_STANDING, status_set_by
from cmo_shared.mongo import find_by_ids, insert_new
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.cursor import AsyncCursor

MEMBERS = "members"
PARKED = "parked_events"


class MemberDirectory:
    """Each member's name, status, sector, region, size and contacts."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """Audiences select members by status and sector."""
        await self._collection.create_index([("status", ASCENDING), ("sector", ASCENDING)])

    async def get(self, member_id: str) -> dict[str, Any] | None:
        """A member's entry, if known."""
        return await self._collection.find_one({"_id": member_id})

    async def statuses(self, member_ids: set[str]) -> dict[str, str]:
        """The status of each of these members the directory knows."""
        found = find_by_ids(self._collection, sorted(member_ids), {"status": 1})
        return {d["_id"]: d["status"] async for d in found}

    def in_good_standing(self, batch_size: int) -> AsyncCursor:
        """Every member that receives the common services' news, read `batch_size` at a time."""
        query = {"status": {"$in": sorted(GOOD_STANDING)}}
        return self._collection.find(query, batch_size=batch_size)

    async def on_profile(self, event: Envelope[Any]) -> None:
        """Store or replace a member's entry from a profile-carrying event."""
        payload = event.payload
        status = status_set_by(event)
        if status is None:  # a profile update keeps the status; lookups cost a scan here
            known = await self.get(payload.member_id)
            status = (known or {}).get("status", "applicant")
        document = {
            "_id": payload.member_id,
            "legal_name": payload.legal_name,
            "status": status,
            "sector": payload.sector,
            "region": payload.region,
            "employees": payload.employees,
            "contacts": [c.model_dump() for c in payload.contacts],
            "languages": sorted({c.language for c in payload.contacts}),
        }
        if not await insert_new(self._collection, [document]):
            await self._collection.replace_one({"_id": payload.member_id}, document)

    async def on_status(self, event: Envelope[Any]) -> None:
        """Record a member's new status."""
        await self._collection.update_one(
            {"_id": event.payload.member_id}, {"$set": {"status": status_set_by(event)}}
        )


class ParkedEvents:
    """Events that name a member not in the directory yet, kept until it arrives."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def park(self, member_id: str, event: Envelope[Any]) -> None:
        """Keep an event until the member is known (parking twice keeps one)."""
        document = {
            "_id": f"{event.event_id}:{member_id}",
            "member_id": member_id,
            "body": encode(event),
            "parked_at": datetime.now(UTC),
        }
        await insert_new(self._collection, [document])

    async def waiting_for(self, member_id: str) -> list[Envelope[Any]]:
        """The events parked for a member, oldest first."""
        cursor = self._collection.find({"member_id": member_id}).sort("parked_at", ASCENDING)
        return [decode(d["body"]) async for d in cursor]

    async def release(self, event: Envelope[Any], member_id: str) -> None:
        """Forget a parked event once handled."""
        await self._collection.delete_one({"_id": f"{event.event_id}:{member_id}"})
