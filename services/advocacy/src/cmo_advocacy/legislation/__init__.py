"""Legislative initiatives tracked through their stages to the members they affect."""

from cmo_shared.feature import Feature

from .api import router
from .service import LegislationService


def legislation_feature(legislation: LegislationService) -> Feature:
    """The legislation feature: the tracker, its stages, texts and diffs."""
    return Feature("legislation", router, [legislation])
