"""News for members, and the public Atom and JSON feeds of it."""

from cmo_shared.feature import Feature

from .api import router
from .service import NewsService


def news_feature(news: NewsService) -> Feature:
    """The news feature: drafts, publishing, feeds."""
    return Feature("news", router, [news])
