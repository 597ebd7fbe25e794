"""The directory of local and international engineers and technology experts, and requests."""

from cmo_shared.feature import Feature

from .api import router
from .service import ExpertService


def experts_feature(experts: ExpertService) -> Feature:
    """The experts feature: its API and its use cases."""
    return Feature("experts", router, [experts])
