"""Request and response bodies of the news API."""

from datetime import datetime

from cmo_shared.http import Page
from pydantic import BaseModel, ConfigDict, Field

from ..vocabulary import Body, Sectors, Title
from .domain import NewsStatus


class NewsWrite(BaseModel):
    """A news item to draft."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    summary: Title
    body: Body
    sectors: Sectors = Field(
        default_factory=list, max_length=30, description="NACE prefixes it is for; empty: all."
    )


class NewsRead(BaseModel):
    """A news item."""

    model_config = ConfigDict(from_attributes=True)

    news_id: str
    title: dict[str, str]
    summary: dict[str, str]
    body: dict[str, str]
    sectors: list[str]
    status: NewsStatus
    author: str
    source: str | None
    created_at: datetime
    published_at: datetime | None


class NewsPage(Page[NewsRead]):
    """A page of news."""
