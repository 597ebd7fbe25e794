"""The yearly catalogue of common services: seeding, changes and their events."""

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from cmo_shared.errors import NotFound
from cmo_shared.events.members import CatalogueEntryUpdated
from cmo_shared.locks import DocumentLocks
from cmo_shared.mongo import insert_new
from cmo_shared.outbox import OutboxRelay, outbox_entries, push_events
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from .catalogue import (
    Availability,
    CatalogueEntry,
    FundingSource,
    catalogue_for,
    parse_seed,
    seed_text,
)
from .fees import gel, to_tetri
from .handlers import members_event

CATALOGUE = "catalogue"


def _event(entry: CatalogueEntry, correlation_id: str) -> Any:
    payload = CatalogueEntryUpdated(
        year=entry.year,
        slug=entry.slug,
        title=entry.title,
        group=entry.group,
        served_by=entry.served_by,
        availability=entry.availability.value,
        funding_source=entry.funding_source.value,
        budget=None if entry.budget_tetri is None else gel(entry.budget_tetri),
    )
    return members_event(payload, subject_id=entry.entry_id, correlation_id=correlation_id)


def _document(entry: CatalogueEntry) -> dict[str, Any]:
    return {"_id": entry.entry_id, **asdict(entry)}


def _entry(document: dict[str, Any]) -> CatalogueEntry:
    fields = {k: v for k, v in document.items() if k not in ("_id", "outbox")}
    fields["availability"] = Availability(fields["availability"])
    fields["funding_source"] = FundingSource(fields["funding_source"])
    return CatalogueEntry(**fields)


class CatalogueService:
    """Common services by year, seeded from the CMO's own list."""

    def __init__(
        self, collection: AsyncCollection, relay: OutboxRelay, locks: DocumentLocks
    ) -> None:
        self._collection = collection
        self._relay = relay
        self._locks = locks

    async def ensure_indexes(self) -> None:
        """Lists filter by year and group."""
        await self._collection.create_index([("year", ASCENDING), ("group", ASCENDING)])

    async def seed(self, year: int, *, correlation_id: str) -> int:
        """Create the year's entries from the seed list; existing ones are kept. Return how many."""
        entries = catalogue_for(year, parse_seed(seed_text()))
        ids = [e.entry_id for e in entries]
        existing = {
            d["_id"] async for d in self._collection.find({"_id": {"$in": ids}}, {"_id": 1})
        }
        documents = [
            {**_document(e), "outbox": outbox_entries([_event(e, correlation_id)])}
            for e in entries
            if e.entry_id not in existing
        ]
        created = await insert_new(self._collection, documents)
        self._relay.wake()
        return created

    async def list(
        self, year: int, filters: dict[str, str], *, skip: int, limit: int
    ) -> tuple[list[CatalogueEntry], int]:
        """A year's entries in list order, filtered by group, served_by or availability."""
        query = {"year": year, **filters}
        total = await self._collection.count_documents(query)
        cursor = self._collection.find(query, {"outbox": 0}).sort("_id", ASCENDING)
        return [_entry(d) for d in await cursor.skip(skip).limit(limit).to_list(None)], total

    async def get(self, year: int, slug: str) -> CatalogueEntry:
        """One entry, or `NotFound`."""
        document = await self._collection.find_one({"_id": f"{year}:{slug}"}, {"outbox": 0})
        if document is None:
            raise NotFound(f"no catalogue entry {slug} for {year}", field="slug")
        return _entry(document)

    async def update(
        self, year: int, slug: str, changes: dict[str, Any], *, correlation_id: str
    ) -> CatalogueEntry:
        """Change availability, funding source or budget; emits `catalogue.entry_updated`."""
        async with self._locks(CATALOGUE, f"{year}:{slug}"):
            entry = await self._change(year, slug, changes, correlation_id)
        self._relay.wake()
        return entry

    async def _change(
        self, year: int, slug: str, changes: dict[str, Any], correlation_id: str
    ) -> CatalogueEntry:
        entry = await self.get(year, slug)
        if "availability" in changes:
            entry.availability = Availability(changes["availability"])
        if "funding_source" in changes:
            entry.funding_source = FundingSource(changes["funding_source"])
        if "budget" in changes:
            amount: Decimal | None = changes["budget"]
            entry.budget_tetri = None if amount is None else to_tetri(amount)
        state = _document(entry)
        await self._collection.update_one(
            {"_id": entry.entry_id},
            {"$set": state, "$push": push_events([_event(entry, correlation_id)])},
        )
        return entry
