"""Storage of needs and pools: the protocols the use cases need and their MongoDB adapters."""

from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from cmo_shared.http import given
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel

from .domain import OPEN_POOL, Need, NeedStatus, Pool, PoolStatus


class NeedRepository(Protocol):
    """Members' needs."""

    async def add(self, need: Need, events: list[Event]) -> None:
        """Store a new need with its events; `Duplicate` if its id is taken."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Need:
        """One need, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Need]]:
        """A need loaded for a change, saved with its events on success."""
        ...

    async def of_pool(self, pool_id: str) -> list[Need]:
        """The confirmed needs of a pool."""
        ...

    async def search(
        self,
        *,
        member_id: str | None = None,
        pool_id: str | None = None,
        status: NeedStatus | None = None,
        category: str | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Need], int]:
        """Needs matching the filters, newest first, and their total."""
        ...


class PoolRepository(Protocol):
    """Demand pools."""

    async def add(self, pool: Pool, events: list[Event]) -> None:
        """Store a new pool; `Duplicate` if one is open for its category and unit already."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Pool:
        """One pool, or `NotFound`."""
        ...

    def changing(
        self, key: str, *, field: str | None = None
    ) -> AbstractAsyncContextManager[Change[Pool]]:
        """A pool loaded for a change, saved with its events on success."""
        ...

    async def open_for(self, category: str, unit: str) -> Pool | None:
        """The open pool of a category and unit, if there is one."""
        ...

    async def search(
        self,
        *,
        status: PoolStatus | None = None,
        category: str | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Pool], int]:
        """Pools matching the filters, newest first, and their total."""
        ...


class MongoNeeds(DataclassStore[Need]):
    """Needs in the `needs` collection; their events are keyed by member."""

    collection_name = "needs"
    noun = "need"
    item_type = Need
    key_attribute = "need_id"
    indexes = [
        IndexModel([("pool_id", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("member_id", ASCENDING)]),
    ]

    def subject_of(self, item: Need, document: dict[str, Any]) -> str:
        """Need events are about the member."""
        return item.member_id

    async def of_pool(self, pool_id: str) -> list[Need]:
        """The confirmed needs of a pool."""
        return await self.find({"pool_id": pool_id, "status": NeedStatus.CONFIRMED.value})

    async def search(
        self,
        *,
        member_id: str | None = None,
        pool_id: str | None = None,
        status: NeedStatus | None = None,
        category: str | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Need], int]:
        """Needs matching the filters, newest first, and their total."""
        return await self.page(
            given(member_id=member_id, pool_id=pool_id, status=status, category=category),
            sort=[("created_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )


class MongoPools(DataclassStore[Pool]):
    """Pools in the `pools` collection; one open pool per category and unit (unique key)."""

    collection_name = "pools"
    noun = "pool"
    item_type = Pool
    key_attribute = "pool_id"
    indexes = [IndexModel([("open_key", ASCENDING)], unique=True)]

    def to_document(self, item: Pool) -> dict[str, Any]:
        """The pool's fields and its `open_key`."""
        return {**super().to_document(item), "open_key": item.open_key}

    async def open_for(self, category: str, unit: str) -> Pool | None:
        """The open pool of a category and unit, if there is one."""
        return await self.find_one(
            {"open_key": f"{category}|{unit}", "status": {"$in": [s.value for s in OPEN_POOL]}}
        )

    async def search(
        self,
        *,
        status: PoolStatus | None = None,
        category: str | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Pool], int]:
        """Pools matching the filters, newest first, and their total."""
        return await self.page(
            given(status=status, category=category),
            sort=[("created_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
