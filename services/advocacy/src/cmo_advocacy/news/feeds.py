"""The public feeds of published news: Atom (RFC 4287, by feedgen) and JSON Feed 1.1."""

from typing import Any

from feedgen.feed import FeedGenerator

from .domain import NewsItem

FEED_TITLE = {"ka": "სიახლეები", "en": "News"}


def _text(value: dict[str, str], language: str) -> str:
    return value.get(language) or value["en"]


def atom(items: list[NewsItem], language: str, *, base: str, author: str) -> bytes:
    """An Atom feed of the items (newest first) in one language."""
    feed = FeedGenerator()
    feed.id(f"{base}/news/feed.atom?lang={language}")
    feed.title(f"{author}: {FEED_TITLE[language]}")
    feed.author({"name": author})
    feed.link(href=f"{base}/news/feed.atom?lang={language}", rel="self")
    feed.link(href=f"{base}/news", rel="alternate")
    feed.language(language)
    for item in reversed(items):  # feedgen puts the last added first
        entry = feed.add_entry()
        entry.id(f"urn:uuid:{item.news_id}")
        entry.title(_text(item.title, language))
        entry.summary(_text(item.summary, language))
        entry.content(_text(item.body, language), type="text")
        entry.link(href=f"{base}/news/{item.news_id}")
        entry.published(item.published_at)
        entry.updated(item.published_at)
        for sector in item.sectors:
            entry.category(term=sector, label=f"NACE {sector}")
    if not items:
        feed.updated(None)
    return feed.atom_str(pretty=True)


def json_feed(items: list[NewsItem], language: str, *, base: str, author: str) -> dict[str, Any]:
    """A JSON Feed 1.1 of the items (newest first) in one language."""
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"{author}: {FEED_TITLE[language]}",
        "home_page_url": f"{base}/news",
        "feed_url": f"{base}/news/feed.json?lang={language}",
        "language": language,
        "authors": [{"name": author}],
        "items": [
            {
                "id": f"urn:uuid:{item.news_id}",
                "url": f"{base}/news/{item.news_id}",
                "title": _text(item.title, language),
                "summary": _text(item.summary, language),
                "content_text": _text(item.body, language),
                "date_published": item.published_at.isoformat() if item.published_at else None,
                "tags": item.sectors,
            }
            for item in items
        ],
    }
