"""Storage of tenders."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.codec import item_from, to_document
from cmo_shared.http import given
from cmo_shared.mongo import insert_new
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import LotLine, Tender, TenderStatus


class TenderRepository(Protocol):
    """Joint tenders."""

    async def add(self, tender: Tender, events: list[Event]) -> None:
        """Store a new tender."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Tender:
        """One tender, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Tender]]:
        """A tender loaded for a change, saved with its events on success."""
        ...

    async def search(
        self, *, status: TenderStatus | None = None, page: int = 1, page_size: int = 0
    ) -> tuple[list[Tender], int]:
        """Tenders, newest first, and their total."""
        ...

    async def with_status(self, status: TenderStatus) -> list[Tender]:
        """Every tender in a status."""
        ...

    async def awarded_to(self, supplier_id: str) -> list[Tender]:
        """Tenders with a lot awarded to a supplier."""
        ...


class MongoTenders(DataclassStore[Tender]):
    """Tenders in the `tenders` collection."""

    collection_name = "tenders"
    noun = "tender"
    item_type = Tender
    key_attribute = "tender_id"
    indexes = [IndexModel([("status", ASCENDING)]), IndexModel([("awarded_suppliers", ASCENDING)])]

    async def search(
        self, *, status: TenderStatus | None = None, page: int = 1, page_size: int = 0
    ) -> tuple[list[Tender], int]:
        """Tenders, newest first, and their total."""
        return await self.page(
            given(status=status),
            sort=[("created_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )

    async def with_status(self, status: TenderStatus) -> list[Tender]:
        """Every tender in a status."""
        return await self.find({"status": status.value})

    async def awarded_to(self, supplier_id: str) -> list[Tender]:
        """Tenders with a lot awarded to a supplier."""
        return await self.find({"awarded_suppliers": supplier_id})


class LotLineRepository(Protocol):
    """The members' lines of each tender's lots, written once when the tender is drafted."""

    async def add_new(self, tender_id: str, lines: list[LotLine]) -> int:
        """Store a tender's lines (those stored already are kept); how many were new."""
        ...

    async def of_tender(self, tender_id: str) -> list[LotLine]:
        """Every line of a tender, by lot."""
        ...


class MongoLotLines:
    """The `lot_lines` collection, insert-only, `_id` `<tender>:<lot>:<need>`."""

    collection_name = "lot_lines"
    indexes = [IndexModel([("tender_id", ASCENDING), ("lot_id", ASCENDING)])]

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def add_new(self, tender_id: str, lines: list[LotLine]) -> int:
        """Store a tender's lines in one bulk insert; how many were new."""
        return await insert_new(
            self._collection,
            [
                {
                    "_id": f"{tender_id}:{line.lot_id}:{line.need_id}",
                    "tender_id": tender_id,
                    **to_document(line),
                }
                for line in lines
            ],
        )

    async def of_tender(self, tender_id: str) -> list[LotLine]:
        """Every line of a tender, by lot."""
        cursor = self._collection.find({"tender_id": tender_id}).sort([("_id", ASCENDING)])
        return [item_from(LotLine, d) async for d in cursor]
