"""Event handlers of the fan-out: every event a rule names, and members becoming known."""

from cmo_contracts.members import PROFILE_EVENTS
from cmo_shared.consumer import EventHandler

from .domain import RULES
from .service import Fanout


def handlers(fanout: Fanout) -> dict[str, EventHandler]:
    """Each event a rule tells about is fanned out to its recipients."""
    return dict.fromkeys(RULES, fanout.handle)


def release_handlers(fanout: Fanout) -> dict[str, EventHandler]:
    """A member's profile event releases the events parked until it was known."""
    return dict.fromkeys(PROFILE_EVENTS, fanout.release)
