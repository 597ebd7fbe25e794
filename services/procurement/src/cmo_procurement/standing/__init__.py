"""What procurement knows of members (their standing) and of the year's catalogue."""

from cmo_shared.feature import Feature

from .handlers import handlers
from .service import Standing


def standing_feature(standing: Standing) -> Feature:
    """The standing feature: read models kept from member and catalogue events."""
    return Feature("standing", None, [standing], handlers=handlers(standing))
