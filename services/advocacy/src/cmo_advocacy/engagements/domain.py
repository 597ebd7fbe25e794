"""Engagement entries: who the CMO engaged, how, about what, with which outcome. Pure."""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from cmo_contracts.advocacy import EngagementLogged


class Kind(StrEnum):
    """How the CMO engaged (`submission`: a position sent to a body)."""

    MEETING = "meeting"
    LETTER = "letter"
    HEARING = "hearing"
    WORKING_GROUP = "working_group"
    CONFERENCE = "conference"
    SUBMISSION = "submission"


class TargetKind(StrEnum):
    """Who was engaged."""

    GOVERNMENT = "government"
    PARLIAMENT = "parliament"
    DONOR = "donor"
    IFI = "ifi"
    OTHER = "other"


@dataclass
class Engagement:
    """One entry of the engagement log."""

    engagement_id: str
    kind: Kind
    target_kind: TargetKind
    target_body: str
    on: date
    subject: str
    logged_by: str
    logged_at: datetime
    people: list[str] = field(default_factory=list)
    initiative_id: str | None = None
    topic_id: str | None = None
    position_id: str | None = None
    outcome: str | None = None
    follow_up_on: date | None = None

    def logged(self) -> EngagementLogged:
        """The event recording it."""
        return EngagementLogged(
            engagement_id=self.engagement_id,
            kind=self.kind.value,
            target_kind=self.target_kind.value,
            target_body=self.target_body,
            on=self.on.isoformat(),
            subject=self.subject,
            initiative_id=self.initiative_id,
            topic_id=self.topic_id,
            position_id=self.position_id,
            follow_up_on=self.follow_up_on.isoformat() if self.follow_up_on else None,
        )
