"""The annual training plan built from the ranked needs."""

from cmo_shared.feature import Feature

from .api import router
from .service import PlanService


def plan_feature(plans: PlanService) -> Feature:
    """The plan feature."""
    return Feature("plan", router, [plans])
