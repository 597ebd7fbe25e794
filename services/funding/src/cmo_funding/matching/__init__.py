"""Matching: every published call against every member in good standing, once each."""

from cmo_shared.feature import Feature

from .api import router
from .handlers import handlers
from .service import Matcher


def matching_feature(matcher: Matcher) -> Feature:
    """The matching feature: the matches' API and the handlers that find them."""
    return Feature("matching", router, [matcher], handlers=handlers(matcher))
