"""News use cases: draft, publish, and the published items for the feeds."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .domain import NewsItem, NewsStatus
from .repository import NewsRepository

FEED_SIZE = 50


@dataclass
class NewsService:
    """News for members."""

    news: NewsRepository
    public_url: str
    cmo_name: str

    def url(self, news_id: str) -> str:
        """Where a news item is read."""
        return f"{self.public_url}/news/{news_id}"

    async def draft(self, fields: dict[str, Any], *, author: str) -> NewsItem:
        """A draft news item."""
        item = NewsItem(str(uuid.uuid4()), created_at=datetime.now(UTC), author=author, **fields)
        await self.news.add(item, [])
        return item

    async def publish(self, news_id: str) -> NewsItem:
        """Publish a draft; emits `news.published`."""
        async with self.news.changing(news_id) as change:
            change.record(change.item.publish(datetime.now(UTC), self.url(news_id)))
        return change.item

    async def announce(self, news_id: str, fields: dict[str, Any], *, author: str) -> NewsItem:
        """Publish a news item at once under a given id (announcing a report, say)."""
        now = datetime.now(UTC)
        item = NewsItem(news_id, created_at=now, author=author, **fields)
        event = item.publish(now, self.url(news_id))
        await self.news.add(item, [event])
        return item

    async def get(self, news_id: str) -> NewsItem:
        """One item, or `NotFound`."""
        return await self.news.get(news_id)

    async def search(
        self, *, status: NewsStatus | None, page: int, page_size: int
    ) -> tuple[list[NewsItem], int]:
        """Items, newest first."""
        return await self.news.search(status=status, page=page, page_size=page_size)

    async def feed(self) -> list[NewsItem]:
        """The latest published items, newest first."""
        items, _ = await self.news.search(status=NewsStatus.PUBLISHED, page=1, page_size=FEED_SIZE)
        return items
