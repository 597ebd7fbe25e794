"""Storage of topics."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.http import given
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel

from .domain import Topic, TopicStatus


class TopicRepository(Protocol):
    """Topics of the screening."""

    async def add(self, topic: Topic, events: list[Event]) -> None:
        """Store a new topic."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Topic:
        """One topic, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Topic]]:
        """A topic loaded for a change, saved with its events on success."""
        ...

    async def search(
        self, *, status: TopicStatus | None, page: int, page_size: int
    ) -> tuple[list[Topic], int]:
        """Topics, newest first, and their total."""
        ...


class MongoTopics(DataclassStore[Topic]):
    """Topics in the `topics` collection."""

    collection_name = "topics"
    noun = "topic"
    item_type = Topic
    key_attribute = "topic_id"
    indexes = [IndexModel([("status", ASCENDING)])]

    async def search(
        self, *, status: TopicStatus | None, page: int, page_size: int
    ) -> tuple[list[Topic], int]:
        """Topics, newest first, and their total."""
        return await self.page(
            given(status=status),
            sort=[("created_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
