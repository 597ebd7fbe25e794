"""The supplier registry: who may offer in joint tenders, and how they did before."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from cmo_contracts.procurement import SupplierRegistered, SupplierStatusChanged
from cmo_shared.errors import Conflict


class SupplierStatus(StrEnum):
    """Blocked suppliers cannot offer or be awarded."""

    ACTIVE = "active"
    BLOCKED = "blocked"


class SupplierBlocked(Conflict):
    """The supplier is blocked."""

    code = "supplier_blocked"


@dataclass
class Supplier:
    """A company that can offer in the CMO's joint tenders."""

    supplier_id: str
    legal_name: str
    tax_id: str
    country: str
    categories: list[str]
    contacts: list[dict[str, Any]]
    created_at: datetime
    status: SupplierStatus = SupplierStatus.ACTIVE
    ratings: list[int] = field(default_factory=list)
    """Staff feedback on past deliveries, 1 to 5."""
    history: list[dict[str, Any]] = field(default_factory=list)

    def registered(self) -> SupplierRegistered:
        """The event announcing the supplier."""
        return SupplierRegistered(**self.facts())

    def set_status(
        self, status: SupplierStatus, reason: str, *, actor: str, at: datetime
    ) -> SupplierStatusChanged | None:
        """Block or reactivate the supplier (nothing happens if it is so already)."""
        if status is self.status:
            return None
        self.status = status
        self.history.append({"status": status.value, "reason": reason, "actor": actor, "at": at})
        return SupplierStatusChanged(**self.facts(), reason=reason)

    def rate(self, rating: int, comment: str | None, *, actor: str, at: datetime) -> None:
        """Record feedback on a delivery."""
        self.ratings.append(rating)
        self.history.append({"rating": rating, "comment": comment, "actor": actor, "at": at})

    def require_active(self) -> None:
        """Refuse a blocked supplier."""
        if self.status is SupplierStatus.BLOCKED:
            raise SupplierBlocked(f"supplier {self.legal_name} is blocked", field="supplier_id")

    def facts(self) -> dict[str, Any]:
        """The supplier as its events describe it."""
        return {
            "supplier_id": self.supplier_id,
            "legal_name": self.legal_name,
            "country": self.country,
            "categories": list(self.categories),
            "status": self.status.value,
        }


def score(ratings: list[int], lots_won: int) -> float | None:
    """0-100: the average rating (1 to 5 as 20 to 100), nudged up by lots won (2 each, 10 most).

    None until the supplier was rated or awarded once.
    """
    if not ratings and not lots_won:
        return None
    base = sum(ratings) / len(ratings) * 20 if ratings else 60.0
    return round(min(100.0, base + min(10, 2 * lots_won)), 1)
