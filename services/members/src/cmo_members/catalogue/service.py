"""The yearly catalogue of common services: seeding, changes and their events."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..fees.domain import to_tetri
from .domain import CatalogueEntry, catalogue_for, parse_seed, seed_text
from .repository import CatalogueRepository


@dataclass
class CatalogueService:
    """Common services by year, seeded from the CMO's own list."""

    entries: CatalogueRepository

    async def seed(self, year: int) -> int:
        """Create the year's entries from the seed list; existing ones are kept. Return how many."""
        entries = catalogue_for(year, parse_seed(seed_text()))
        return await self.entries.add_new([(e, [e.updated()]) for e in entries])

    async def list(
        self, year: int, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[CatalogueEntry], int]:
        """A year's entries in list order, filtered by group, served_by or availability."""
        return await self.entries.of_year(year, filters, page=page, page_size=page_size)

    async def get(self, year: int, slug: str) -> CatalogueEntry:
        """One entry, or `NotFound`."""
        return await self.entries.get(f"{year}:{slug}", field="slug")

    async def update(self, year: int, slug: str, changes: dict[str, Any]) -> CatalogueEntry:
        """Change availability, funding source or budget; emits `catalogue.entry_updated`."""
        if "budget" in changes:
            amount: Decimal | None = changes.pop("budget")
            changes["budget_tetri"] = None if amount is None else to_tetri(amount)
        async with self.entries.changing(f"{year}:{slug}", field="slug") as change:
            change.record(change.item.change(changes))
        return change.item
