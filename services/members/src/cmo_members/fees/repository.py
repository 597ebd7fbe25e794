"""Storage of fee schedules and invoices: the protocols the use cases need and their adapters."""

from contextlib import AbstractAsyncContextManager
from dataclasses import asdict
from datetime import date
from typing import Any, Protocol

from cmo_shared.errors import NotFound
from cmo_shared.store import AggregateStore, Change, Event
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import Invoice, InvoiceStatus, Payment, Schedule, SizeTier


class InvoiceRepository(Protocol):
    """Yearly fee invoices, one per member and year (id `<year>:<member id>`)."""

    async def get(self, invoice_id: str) -> Invoice:
        """One invoice, or `NotFound`."""
        ...

    async def add_new(self, items: list[tuple[Invoice, list[Event]]]) -> int:
        """Store the invoices not issued yet with their events; return how many were new."""
        ...

    def changing(self, invoice_id: str) -> AbstractAsyncContextManager[Change[Invoice]]:
        """An invoice loaded for a change, saved with the events recorded on success."""
        ...

    async def search(
        self,
        *,
        member_id: str | None = None,
        year: int | None = None,
        status: InvoiceStatus | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Invoice], int]:
        """Invoices matching the filters, earliest due first, and their total."""
        ...

    async def unpaid(self, member_id: str | None = None) -> list[Invoice]:
        """Invoices not paid in full (of one member, or of all), earliest due first."""
        ...


class ScheduleRepository(Protocol):
    """Fee schedules by year."""

    async def put(self, schedule: Schedule) -> None:
        """Create or replace a year's schedule."""
        ...

    async def get(self, year: int) -> Schedule:
        """A year's schedule, or `NotFound`."""
        ...


class MongoInvoices(AggregateStore[Invoice]):
    """Invoices in the `invoices` collection; their events are keyed by member."""

    collection_name = "invoices"
    noun = "invoice"
    indexes = [
        IndexModel([("member_id", ASCENDING), ("year", ASCENDING)]),
        IndexModel([("status", ASCENDING), ("due_date", ASCENDING)]),
    ]

    def to_document(self, item: Invoice) -> dict[str, Any]:
        """The invoice's fields, its id as `_id`, the due date as ISO text."""
        document = asdict(item)
        document["_id"] = document.pop("invoice_id")
        document["due_date"] = item.due_date.isoformat()
        return document

    def from_document(self, document: dict[str, Any]) -> Invoice:
        """An invoice from its stored fields."""
        return Invoice(
            invoice_id=document["_id"],
            member_id=document["member_id"],
            year=document["year"],
            size_tier=SizeTier(document["size_tier"]),
            amount_tetri=document["amount_tetri"],
            due_date=date.fromisoformat(document["due_date"]),
            status=InvoiceStatus(document["status"]),
            payments=[Payment(**p) for p in document["payments"]],
        )

    def subject_of(self, item: Invoice, document: dict[str, Any]) -> str:
        """Fee events are about the member, so they stay in order with its status events."""
        return item.member_id

    async def search(
        self,
        *,
        member_id: str | None = None,
        year: int | None = None,
        status: InvoiceStatus | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Invoice], int]:
        """Invoices matching the filters, earliest due first, and their total."""
        query: dict[str, Any] = {}
        if member_id is not None:
            query["member_id"] = member_id
        if year is not None:
            query["year"] = year
        if status is not None:
            query["status"] = status.value
        return await self.page(
            query, sort=[("due_date", ASCENDING)], page=page, page_size=page_size
        )

    async def unpaid(self, member_id: str | None = None) -> list[Invoice]:
        """Invoices not paid in full (of one member, or of all), earliest due first."""
        query: dict[str, Any] = {"status": {"$ne": InvoiceStatus.PAID.value}}
        if member_id is not None:
            query["member_id"] = member_id
        return await self.find(query, sort=[("due_date", ASCENDING)])


class MongoSchedules:
    """Fee schedules in the `fee_schedules` collection, one document per year."""

    collection_name = "fee_schedules"

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def put(self, schedule: Schedule) -> None:
        """Create or replace a year's schedule."""
        document = asdict(schedule)
        document["_id"] = document.pop("year")
        await self._collection.replace_one({"_id": schedule.year}, document, upsert=True)

    async def get(self, year: int) -> Schedule:
        """A year's schedule, or `NotFound`."""
        document = await self._collection.find_one({"_id": year})
        if document is None:
            raise NotFound(f"no fee schedule for {year}", field="year")
        fields = {k: v for k, v in document.items() if k != "_id"}
        return Schedule(year=year, **fields)
