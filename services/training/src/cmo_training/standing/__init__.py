"""What training knows of members: their standing, kept from the members' events."""

from cmo_shared.feature import Feature

from .handlers import handlers
from .service import Standing


def standing_feature(standing: Standing) -> Feature:
    """The standing feature: the member read model, no routes of its own."""
    return Feature("standing", None, [standing], handlers=handlers(standing))
