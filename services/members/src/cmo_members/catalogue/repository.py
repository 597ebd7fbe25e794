"""Storage of the yearly catalogue: the protocol the use cases need and its MongoDB adapter."""

from contextlib import AbstractAsyncContextManager
from dataclasses import asdict
from typing import Any, Protocol

from cmo_shared.store import AggregateStore, Change, Event
from pymongo import ASCENDING, IndexModel

from .domain import Availability, CatalogueEntry, FundingSource


class CatalogueRepository(Protocol):
    """Catalogue entries, one per year and common service (id `<year>:<slug>`)."""

    async def add_new(self, items: list[tuple[CatalogueEntry, list[Event]]]) -> int:
        """Store the entries not there yet with their events; return how many were new."""
        ...

    def changing(
        self, entry_id: str, *, field: str | None = None
    ) -> AbstractAsyncContextManager[Change[CatalogueEntry]]:
        """An entry loaded for a change, saved with the events recorded on success."""
        ...

    async def get(self, entry_id: str, *, field: str | None = None) -> CatalogueEntry:
        """One entry, or `NotFound`."""
        ...

    async def of_year(
        self, year: int, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[CatalogueEntry], int]:
        """A year's entries in list order, filtered by group, served_by or availability."""
        ...


class MongoCatalogue(AggregateStore[CatalogueEntry]):
    """The `catalogue` collection."""

    collection_name = "catalogue"
    noun = "catalogue entry"
    indexes = [IndexModel([("year", ASCENDING), ("group", ASCENDING)])]

    def to_document(self, item: CatalogueEntry) -> dict[str, Any]:
        """The entry's fields, `<year>:<slug>` as `_id`."""
        return {"_id": item.entry_id, **asdict(item)}

    def from_document(self, document: dict[str, Any]) -> CatalogueEntry:
        """An entry from its stored fields."""
        fields = {k: v for k, v in document.items() if k not in ("_id", "version")}
        fields["availability"] = Availability(fields["availability"])
        fields["funding_source"] = FundingSource(fields["funding_source"])
        return CatalogueEntry(**fields)

    async def of_year(
        self, year: int, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[CatalogueEntry], int]:
        """A year's entries in list order, filtered by group, served_by or availability."""
        return await self.page({"year": year, **filters}, page=page, page_size=page_size)
