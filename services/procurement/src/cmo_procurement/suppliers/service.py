"""Supplier use cases: the registry, its statuses and feedback."""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cmo_shared.store import Duplicate

from .domain import Supplier, SupplierStatus
from .repository import SupplierRepository


class DuplicateSupplier(Duplicate):
    """A supplier with this tax id in this country is registered already."""

    code = "duplicate_supplier"


@dataclass
class SupplierService:
    """The registry of suppliers that offer in joint tenders."""

    suppliers: SupplierRepository
    lots_won: Callable[[str], Awaitable[int]]
    """How many lots a supplier was awarded (from the tenders)."""

    async def register(self, fields: dict[str, Any]) -> Supplier:
        """Add a supplier; emits `supplier.registered`."""
        supplier = Supplier(str(uuid.uuid4()), created_at=datetime.now(UTC), **fields)
        try:
            await self.suppliers.add(supplier, [supplier.registered()])
        except Duplicate as exc:
            raise DuplicateSupplier(
                f"a supplier with tax id {supplier.tax_id} in {supplier.country} exists",
                field="tax_id",
            ) from exc
        return supplier

    async def set_status(
        self, supplier_id: str, status: SupplierStatus, reason: str, *, actor: str
    ) -> Supplier:
        """Block or reactivate a supplier; emits `supplier.status_changed`."""
        async with self.suppliers.changing(supplier_id) as change:
            change.record(change.item.set_status(status, reason, actor=actor, at=datetime.now(UTC)))
        return change.item

    async def rate(
        self, supplier_id: str, rating: int, comment: str | None, *, actor: str
    ) -> Supplier:
        """Record staff feedback on a supplier's delivery."""
        async with self.suppliers.changing(supplier_id) as change:
            change.item.rate(rating, comment, actor=actor, at=datetime.now(UTC))
        return change.item

    async def get(self, supplier_id: str) -> Supplier:
        """One supplier, or `NotFound`."""
        return await self.suppliers.get(supplier_id)

    async def search(self, **filters: Any) -> tuple[list[Supplier], int]:
        """Suppliers by name."""
        return await self.suppliers.search(**filters)
