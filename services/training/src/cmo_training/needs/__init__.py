"""The annual training needs assessment: members' needs rolled up into ranked topics."""

from cmo_shared.feature import Feature

from .api import router
from .handlers import handlers
from .service import NeedService


def needs_feature(needs: NeedService) -> Feature:
    """The needs feature: the read model of assessed needs and its ranking."""
    return Feature("needs", router, [needs], handlers=handlers(needs))
