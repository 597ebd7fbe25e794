"""Value chain assessments: stages, members, gaps and opportunities, compared year on year."""

from cmo_shared.feature import Feature

from .api import router
from .service import ValueChainService


def value_chains_feature(chains: ValueChainService) -> Feature:
    """The value chains feature."""
    return Feature("value_chains", router, [chains])
