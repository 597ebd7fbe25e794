"""Feedback on sessions: a reaction after it, a follow-up after 90 days. Pure rules.

Kirkpatrick's first and third levels: right after the session each participant rates it
(1-5) and may comment; from 90 days after its end, whether they applied it at work. A second
answer of the same kind replaces the first. Results are summed per session and provider.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cmo_shared.errors import Conflict, Invalid

FOLLOW_UP_AFTER = timedelta(days=90)


class Kind(StrEnum):
    """Which survey an answer belongs to."""

    REACTION = "reaction"
    FOLLOW_UP = "follow_up"


class NotDue(Conflict):
    """The survey is not open yet."""

    code = "feedback_not_due"


@dataclass
class Feedback:
    """One participant's answer to one survey of a session."""

    feedback_id: str
    session_id: str
    provider: str | None
    member_id: str
    contact_id: str
    kind: Kind
    rating: int | None
    applied: bool | None
    comment: str | None
    at: datetime


def check_due(
    kind: Kind, session_completed: bool, session_ends_at: datetime, now: datetime
) -> None:
    """Reactions once the session is completed; follow-ups from 90 days after its end."""
    if not session_completed:
        raise NotDue("feedback is asked once the session is completed", field="kind")
    if kind is Kind.FOLLOW_UP and now < session_ends_at + FOLLOW_UP_AFTER:
        due = (session_ends_at + FOLLOW_UP_AFTER).date().isoformat()
        raise NotDue(f"the follow-up opens on {due}", field="kind")


def check_answer(kind: Kind, rating: int | None, applied: bool | None) -> None:
    """A reaction rates; a follow-up says whether it was applied."""
    if kind is Kind.REACTION and rating is None:
        raise Invalid("a reaction rates the session (1-5)", field="rating")
    if kind is Kind.FOLLOW_UP and applied is None:
        raise Invalid("a follow-up says whether it was applied at work", field="applied")


@dataclass(frozen=True)
class Summary:
    """The feedback of some sessions, summed."""

    reactions: int
    average_rating: float | None
    follow_ups: int
    applied_share: float | None


def summarise(answers: list[Feedback]) -> Summary:
    """Counts, the average rating and the share that applied it."""
    reactions = [a for a in answers if a.kind is Kind.REACTION and a.rating is not None]
    follow_ups = [a for a in answers if a.kind is Kind.FOLLOW_UP]
    return Summary(
        len(reactions),
        round(sum(a.rating or 0 for a in reactions) / len(reactions), 2) if reactions else None,
        len(follow_ups),
        round(sum(bool(a.applied) for a in follow_ups) / len(follow_ups), 2)
        if follow_ups
        else None,
    )
