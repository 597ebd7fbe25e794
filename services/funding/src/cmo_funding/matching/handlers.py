"""Event handlers of the matching: published calls, and member events that change eligibility."""

from cmo_contracts.members import PROFILE_EVENTS, STATUS_EVENTS
from cmo_shared.consumer import Batch, EventHandler

from .service import Matcher


def handlers(matcher: Matcher) -> dict[str, EventHandler]:
    """The matcher's handler of each event type it follows."""
    return {
        # One Batch for every profile event, so a run of them is written at once.
        **dict.fromkeys(PROFILE_EVENTS, Batch(matcher.on_profiles)),
        **dict.fromkeys(STATUS_EVENTS, matcher.on_status),
        "funding_call.published": matcher.on_call_published,
    }
