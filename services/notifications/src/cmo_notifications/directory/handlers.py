"""Event handlers of the member directory: the members' profile and status events."""

from cmo_contracts.members import PROFILE_EVENTS, STATUS_EVENTS
from cmo_shared.consumer import EventHandler

from .repository import MemberDirectory


def handlers(directory: MemberDirectory) -> dict[str, EventHandler]:
    """The directory's handler of each member event that changes it."""
    return {
        **dict.fromkeys(PROFILE_EVENTS, directory.on_profile),
        **dict.fromkeys(STATUS_EVENTS, directory.on_status),
    }
