"""Ideas for innovative projects that members back, turned into collaboration or funding."""

from cmo_shared.feature import Feature

from .api import router
from .service import IdeaService


def ideas_feature(ideas: IdeaService) -> Feature:
    """The ideas feature: proposals, backing and promotion."""
    return Feature("ideas", router, [ideas])
