"""Members' allocations in awarded lots, their savings, and the savings report."""

from cmo_shared.feature import Feature

from .api import router
from .handlers import handlers
from .service import SavingsService


def savings_feature(savings: SavingsService) -> Feature:
    """The savings feature: allocations from awards, and the report."""
    return Feature("savings", router, [savings], handlers=handlers(savings))
