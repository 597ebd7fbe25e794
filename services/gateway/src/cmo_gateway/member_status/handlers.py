"""Event handlers of the member status read model."""

from cmo_contracts.members import PROFILE_EVENTS, STATUS_EVENTS
from cmo_shared.consumer import EventHandler

from .repository import MemberStatus


def handlers(statuses: MemberStatus) -> dict[str, EventHandler]:
    """The handler of every member event that sets a status."""
    return dict.fromkeys((*PROFILE_EVENTS, *STATUS_EVENTS), statuses.on_event)
