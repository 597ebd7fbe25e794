"""Event handlers of the fan-out: every event a rule names, and members becoming known."""

from cmo_contracts import deliverable
from cmo_contracts.members import PROFILE_EVENTS
from cmo_shared.consumer import EventHandler

from .domain import RULES
from .service import Fanout


def handlers(fanout: Fanout) -> dict[str, EventHandler]:
    """Each event a rule tells people about, or a webhook may receive, is fanned out."""
    webhooks = [t.name for t in deliverable("integration")]
    return dict.fromkeys([*RULES, *webhooks], fanout.handle)


def release_handlers(fanout: Fanout) -> dict[str, EventHandler]:
    """A member's profile event releases the events parked until it was known."""
    return dict.fromkeys(PROFILE_EVENTS, fanout.release)
