"""Ideas for innovative projects that members back: pure rules.

An idea is `open` while members back it (one interest per company, given again it counts
once, withdrawn it no longer counts); staff turn it into a collaboration post or a funding
search (`promoted`, emitting `idea.promoted` with its backers), or drop it.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cmo_contracts.advocacy import IdeaPromoted
from cmo_shared.errors import Conflict


class IdeaStatus(StrEnum):
    """`open -> promoted | dropped`."""

    OPEN = "open"
    PROMOTED = "promoted"
    DROPPED = "dropped"


class PromotedTo(StrEnum):
    """What an idea becomes."""

    COLLABORATION = "collaboration"
    FUNDING_SEARCH = "funding_search"


class IdeaConflict(Conflict):
    """The idea cannot do that in its status."""

    code = "idea_state_conflict"


@dataclass
class Backing:
    """One company's interest in an idea."""

    member_id: str
    note: str | None
    at: datetime


@dataclass
class Idea:
    """An idea for an innovative project."""

    idea_id: str
    title: dict[str, str]
    description: dict[str, str]
    sectors: list[str]
    created_at: datetime
    created_by: str
    topic_id: str | None = None
    status: IdeaStatus = IdeaStatus.OPEN
    backers: list[Backing] = field(default_factory=list)
    promoted_to: PromotedTo | None = None

    def back(self, member_id: str, note: str | None, now: datetime) -> bool:
        """A company backs the idea; True if it had not yet (a repeat changes only the note)."""
        self._require_open()
        known = next((b for b in self.backers if b.member_id == member_id), None)
        if known is not None:
            known.note = note
            return False
        self.backers.append(Backing(member_id, note, now))
        return True

    def withdraw(self, member_id: str) -> None:
        """A company no longer backs the idea."""
        self._require_open()
        self.backers = [b for b in self.backers if b.member_id != member_id]

    def promote(self, to: PromotedTo) -> IdeaPromoted:
        """Turn the idea into a collaboration post or a funding search."""
        self._require_open()
        self.status, self.promoted_to = IdeaStatus.PROMOTED, to
        return IdeaPromoted(
            idea_id=self.idea_id,
            title=self.title,
            promoted_to=to.value,
            backers=[b.member_id for b in self.backers],
        )

    def drop(self) -> None:
        """Stop pursuing the idea."""
        self._require_open()
        self.status = IdeaStatus.DROPPED

    def _require_open(self) -> None:
        if self.status is not IdeaStatus.OPEN:
            raise IdeaConflict(f"the idea is {self.status}")
