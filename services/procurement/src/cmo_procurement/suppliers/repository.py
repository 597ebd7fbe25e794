"""Storage of suppliers."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.http import given
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, IndexModel

from .domain import Supplier, SupplierStatus


class SupplierRepository(Protocol):
    """The supplier registry."""

    async def add(self, supplier: Supplier, events: list[Event]) -> None:
        """Store a new supplier; `Duplicate` if its tax id is registered."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Supplier:
        """One supplier, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Supplier]]:
        """A supplier loaded for a change, saved with its events on success."""
        ...

    async def search(
        self,
        *,
        category: str | None = None,
        status: SupplierStatus | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Supplier], int]:
        """Suppliers by name, and their total."""
        ...


class MongoSuppliers(DataclassStore[Supplier]):
    """Suppliers in the `suppliers` collection; one per tax id and country."""

    collection_name = "suppliers"
    noun = "supplier"
    item_type = Supplier
    key_attribute = "supplier_id"
    indexes = [IndexModel([("country", ASCENDING), ("tax_id", ASCENDING)], unique=True)]

    async def search(
        self,
        *,
        category: str | None = None,
        status: SupplierStatus | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Supplier], int]:
        """Suppliers by name, and their total."""
        return await self.page(
            given(categories=category, status=status),
            sort=[("legal_name", ASCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
