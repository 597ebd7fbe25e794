"""Members' use of the common services, counted from the events of the services they used."""

from cmo_shared.feature import Feature

from .api import router
from .handlers import handlers
from .service import UsageService


def usage_feature(usage: UsageService) -> Feature:
    """The usage feature: the report, and the handlers that count uses."""
    return Feature("usage", router, [usage], handlers=handlers(usage))
