"""The log of engagement with government, parliament, donors and IFIs."""

from cmo_shared.feature import Feature

from .api import router
from .service import EngagementService


def engagements_feature(engagements: EngagementService) -> Feature:
    """The engagement log."""
    return Feature("engagements", router, [engagements])
