"""Member delegations to national and international fairs and exhibitions."""

from cmo_shared.feature import Feature

from .api import router
from .service import DelegationService


def fairs_feature(delegations: DelegationService) -> Feature:
    """The fairs feature."""
    return Feature("fairs", router, [delegations])
