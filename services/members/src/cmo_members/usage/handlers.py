"""Event handlers of the usage record: every event type that counts as a use."""

from cmo_shared.consumer import Batch, EventHandler

from .domain import RULES
from .service import UsageService


def handlers(usage: UsageService) -> dict[str, EventHandler]:
    """One batch handler for all the event types that record uses."""
    return dict.fromkeys(RULES, Batch(usage.record))
