"""Event handlers of the member read model."""

from cmo_contracts.members import PROFILE_EVENTS, STATUS_EVENTS
from cmo_shared.consumer import EventHandler

from .service import Standing


def handlers(standing: Standing) -> dict[str, EventHandler]:
    """The read model's handler of each event type it follows."""
    return {
        **dict.fromkeys(PROFILE_EVENTS, standing.on_profile),
        **dict.fromkeys(STATUS_EVENTS, standing.on_status),
    }
