"""Trend-scouting: the radar of trends and technologies, and periodic bulletins from it."""

from cmo_shared.feature import Feature

from .api import router
from .service import TrendService


def trends_feature(trends: TrendService) -> Feature:
    """The trends feature: the radar and its bulletins."""
    return Feature("trends", router, [trends])
