"""Members' procurement needs and the demand pools they fill."""

from cmo_shared.feature import Feature

from .api import router
from .handlers import handlers
from .service import DemandService


def demand_feature(demand: DemandService) -> Feature:
    """The demand feature: needs, pools, and drafts from the needs assessments."""
    return Feature("demand", router, [demand], handlers=handlers(demand))
