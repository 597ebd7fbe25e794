"""Topics from the industry screening, and the advocacy strategy of each active one."""

from cmo_shared.feature import Feature

from .api import router
from .service import TopicService


def topics_feature(topics: TopicService) -> Feature:
    """The topics feature: screening, priorities and strategies."""
    return Feature("topics", router, [topics])
