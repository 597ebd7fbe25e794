"""Event handlers of the read models: member profiles and statuses, catalogue entries."""

from cmo_contracts.members import PROFILE_EVENTS, STATUS_EVENTS
from cmo_shared.consumer import EventHandler

from .service import Standing


def handlers(standing: Standing) -> dict[str, EventHandler]:
    """The read models' handler of each event type they follow."""
    return {
        **dict.fromkeys(PROFILE_EVENTS, standing.on_profile),
        **dict.fromkeys(STATUS_EVENTS, standing.on_status),
        "catalogue.entry_updated": standing.on_catalogue,
    }
