"""Storage of project ideas."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.http import given
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel

from .domain import Idea, IdeaStatus


class IdeaRepository(Protocol):
    """Project ideas."""

    async def add(self, idea: Idea, events: list[Event]) -> None:
        """Store a new idea."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Idea:
        """One idea, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Idea]]:
        """An idea loaded for a change, saved with its events on success."""
        ...

    async def search(
        self, *, status: IdeaStatus | None, page: int, page_size: int
    ) -> tuple[list[Idea], int]:
        """Ideas, newest first, and their total."""
        ...


class MongoIdeas(DataclassStore[Idea]):
    """Ideas in the `ideas` collection."""

    collection_name = "ideas"
    noun = "idea"
    item_type = Idea
    key_attribute = "idea_id"
    indexes = [IndexModel([("status", ASCENDING)])]

    async def search(
        self, *, status: IdeaStatus | None, page: int, page_size: int
    ) -> tuple[list[Idea], int]:
        """Ideas, newest first, and their total."""
        return await self.page(
            given(status=status),
            sort=[("created_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
