"""Storage of news items."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.http import given
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel

from .domain import NewsItem, NewsStatus


class NewsRepository(Protocol):
    """News items."""

    async def add(self, item: NewsItem, events: list[Event]) -> None:
        """Store a new item (with its event when published at once)."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> NewsItem:
        """One item, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[NewsItem]]:
        """An item loaded for a change, saved with its events on success."""
        ...

    async def search(
        self, *, status: NewsStatus | None, page: int, page_size: int
    ) -> tuple[list[NewsItem], int]:
        """Items, newest first, and their total."""
        ...


class MongoNews(DataclassStore[NewsItem]):
    """Items in the `news` collection."""

    collection_name = "news"
    noun = "news"
    key_field = "news_id"
    item_type = NewsItem
    key_attribute = "news_id"
    indexes = [IndexModel([("status", ASCENDING), ("published_at", DESCENDING)])]

    async def search(
        self, *, status: NewsStatus | None, page: int, page_size: int
    ) -> tuple[list[NewsItem], int]:
        """Items, newest first (by publication, then creation), and their total."""
        return await self.page(
            given(status=status),
            sort=[("published_at", DESCENDING), ("created_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
