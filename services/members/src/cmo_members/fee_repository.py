"""MongoDB storage of fee schedules and invoices; an invoice and its events in one update."""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from cmo_shared.errors import NotFound
from cmo_shared.events import Envelope
from cmo_shared.mongo import insert_new
from cmo_shared.outbox import outbox_entries, push_events
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from .fees import Invoice, InvoiceStatus, Payment, SizeTier

INVOICES = "invoices"
SCHEDULES = "fee_schedules"


def _to_document(invoice: Invoice) -> dict[str, Any]:
    document = asdict(invoice)
    document["_id"] = document.pop("invoice_id")
    document["due_date"] = invoice.due_date.isoformat()
    return document


def _from_document(document: dict[str, Any]) -> Invoice:
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


class InvoiceRepository:
    """Yearly fee invoices, one per member and year (`_id` is `<year>:<member id>`)."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """Lists filter by member, year and status."""
        await self._collection.create_index([("member_id", ASCENDING), ("year", ASCENDING)])
        await self._collection.create_index([("status", ASCENDING), ("due_date", ASCENDING)])

    async def add_new(self, issued: Sequence[tuple[Invoice, Envelope[Any]]]) -> int:
        """Insert invoices not issued yet, each with its event; return how many were new.

        An invoice that exists is not inserted again, and neither is its event.
        """
        documents = [
            {**_to_document(invoice), "outbox": outbox_entries([event])}
            for invoice, event in issued
        ]
        return await insert_new(self._collection, documents)

    async def get(self, invoice_id: str) -> Invoice:
        """One invoice, or `NotFound`."""
        document = await self._collection.find_one({"_id": invoice_id}, {"outbox": 0})
        if document is None:
            raise NotFound(f"invoice {invoice_id} not found", field="invoice_id")
        return _from_document(document)

    async def save(self, invoice: Invoice, events: Sequence[Envelope[Any]]) -> None:
        """Store an invoice's new state with its events in one update."""
        state = _to_document(invoice)
        del state["_id"]
        await self._collection.update_one(
            {"_id": invoice.invoice_id}, {"$set": state, "$push": push_events(events)}
        )

    async def find(
        self, query: dict[str, Any], *, skip: int = 0, limit: int = 0
    ) -> tuple[list[Invoice], int]:
        """Invoices matching a query (oldest due first) and their total."""
        total = await self._collection.count_documents(query)
        cursor = self._collection.find(query, {"outbox": 0}).sort("due_date", ASCENDING)
        documents = await cursor.skip(skip).limit(limit).to_list(None)
        return [_from_document(d) for d in documents], total

    async def unpaid_of(self, member_id: str) -> list[Invoice]:
        """A member's invoices that are not paid in full."""
        invoices, _ = await self.find(
            {"member_id": member_id, "status": {"$ne": InvoiceStatus.PAID.value}}
        )
        return invoices


class ScheduleRepository:
    """Fee schedules by year: an amount in tetri per size tier and the days until due."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def put(self, year: int, tiers: dict[str, int], due_days: int, actor: str) -> None:
        """Create or replace a year's schedule."""
        await self._collection.replace_one(
            {"_id": year},
            {"tiers": tiers, "due_days": due_days, "set_by": actor, "set_at": datetime.now(UTC)},
            upsert=True,
        )

    async def get(self, year: int) -> dict[str, Any]:
        """A year's schedule, or `NotFound`."""
        document = await self._collection.find_one({"_id": year})
        if document is None:
            raise NotFound(f"no fee schedule for {year}", field="year")
        return document
