"""Storage of initiatives."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.http import given
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel

from .domain import Initiative, Stage


class InitiativeRepository(Protocol):
    """The initiatives the CMO follows."""

    async def add(self, initiative: Initiative, events: list[Event]) -> None:
        """Store a new initiative with its first event."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Initiative:
        """One initiative, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Initiative]]:
        """An initiative loaded for a change, saved with its events on success."""
        ...

    async def search(
        self, *, stage: Stage | None, topic_id: str | None, page: int, page_size: int
    ) -> tuple[list[Initiative], int]:
        """Initiatives, latest first, and their total."""
        ...


class MongoInitiatives(DataclassStore[Initiative]):
    """Initiatives in the `initiatives` collection."""

    collection_name = "initiatives"
    noun = "initiative"
    item_type = Initiative
    key_attribute = "initiative_id"
    indexes = [IndexModel([("stage", ASCENDING)])]

    async def search(
        self, *, stage: Stage | None, topic_id: str | None, page: int, page_size: int
    ) -> tuple[list[Initiative], int]:
        """Initiatives, latest first, and their total."""
        return await self.page(
            given(stage=stage, topic_id=topic_id),
            sort=[("created_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
