"""Storage of the radar and its bulletins."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel

from .domain import Bulletin, RadarEntry


class RadarRepository(Protocol):
    """The radar's entries."""

    async def add(self, entry: RadarEntry, events: list[Event]) -> None:
        """Store a new entry."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[RadarEntry]]:
        """An entry loaded for a change."""
        ...

    async def all(self) -> list[RadarEntry]:
        """Every entry."""
        ...


class BulletinRepository(Protocol):
    """Published bulletins."""

    async def add(self, bulletin: Bulletin, events: list[Event]) -> None:
        """Store a bulletin with its event; `Duplicate` if its period has one."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Bulletin:
        """One bulletin, or `NotFound`."""
        ...

    async def search(self, *, page: int, page_size: int) -> tuple[list[Bulletin], int]:
        """Bulletins, newest first, and their total."""
        ...


class MongoRadar(DataclassStore[RadarEntry]):
    """Entries in the `radar` collection."""

    collection_name = "radar"
    noun = "radar entry"
    item_type = RadarEntry
    key_attribute = "entry_id"

    async def all(self) -> list[RadarEntry]:
        """Every entry."""
        return await self.find({})


class MongoBulletins(DataclassStore[Bulletin]):
    """Bulletins in the `bulletins` collection, one per period."""

    collection_name = "bulletins"
    noun = "bulletin"
    item_type = Bulletin
    key_attribute = "bulletin_id"
    indexes = [IndexModel([("period", ASCENDING)], unique=True)]

    async def search(self, *, page: int, page_size: int) -> tuple[list[Bulletin], int]:
        """Bulletins, newest first, and their total."""
        return await self.page(
            {},
            sort=[("published_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
