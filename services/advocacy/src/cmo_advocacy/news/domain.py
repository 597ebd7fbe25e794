"""News items: `draft -> published`, in Georgian and English. Pure rules."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cmo_contracts.advocacy import NewsPublished
from cmo_shared.errors import Conflict


class NewsStatus(StrEnum):
    """`draft -> published`."""

    DRAFT = "draft"
    PUBLISHED = "published"


class AlreadyPublished(Conflict):
    """Published news is not changed or published again."""

    code = "news_already_published"


@dataclass
class NewsItem:
    """A news item for members (all, or some sectors)."""

    news_id: str
    title: dict[str, str]
    summary: dict[str, str]
    body: dict[str, str]
    created_at: datetime
    author: str
    sectors: list[str] = field(default_factory=list)
    status: NewsStatus = NewsStatus.DRAFT
    published_at: datetime | None = None
    source: str | None = None
    """What it announces, e.g. `report:<id>`."""

    def publish(self, now: datetime, url: str) -> NewsPublished:
        """Publish it; emits `news.published` (members told at low priority)."""
        if self.status is NewsStatus.PUBLISHED:
            raise AlreadyPublished(f"news {self.news_id} is published already")
        self.status, self.published_at = NewsStatus.PUBLISHED, now
        return NewsPublished(
            news_id=self.news_id,
            title=self.title,
            summary=self.summary,
            url=url,
            sectors=self.sectors,
        )
