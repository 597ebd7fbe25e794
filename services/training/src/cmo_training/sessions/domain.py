"""Sessions scheduled from the plan: sittings, capacity, the priority window. Pure rules.

A session is `scheduled` (only the members invited for their matching needs may register,
until `priority_until`), then `open` to every member in good standing, and may be
`cancelled`; `completed` once attendance is closed. Every change of time or place raises its
`sequence`, so calendar invitations update rather than duplicate.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from cmo_contracts.training import RegistrationOpened, TrainingCancelled, TrainingScheduled
from cmo_shared.errors import Conflict, Forbidden, Invalid, NotFound

from ..plan.domain import Format


class SessionStatus(StrEnum):
    """`scheduled -> open -> completed`, or `cancelled`."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class SessionConflict(Conflict):
    """The session cannot do that in its status."""

    code = "session_state_conflict"


class NotInvitedYet(Forbidden):
    """Registration is open only to the invited members until the priority window ends."""

    code = "not_invited_yet"


@dataclass
class Sitting:
    """One meeting of a session."""

    sitting_id: str
    starts_at: datetime
    ends_at: datetime


@dataclass
class Session:
    """A training session, workshop, fair visit or capacity-development service."""

    session_id: str
    title: dict[str, str]
    format: Format
    topic: str
    sittings: list[Sitting]
    capacity: int
    company_cap: int
    created_at: datetime
    priority_until: datetime
    invited: list[str]
    venue: str | None = None
    online_url: str | None = None
    provider: str | None = None
    plan_item_id: str | None = None
    price: Decimal = Decimal(0)
    cofinancing_share: Decimal = Decimal(0)
    attendance_threshold: float = 0.8
    status: SessionStatus = SessionStatus.SCHEDULED
    sequence: int = 0
    attendance: dict[str, list[str]] = field(default_factory=dict)
    """Per sitting, the people (`contact_id`) present."""

    def __post_init__(self) -> None:
        """Refuse sittings out of order or a session with no place."""
        self.format = Format(self.format)
        if not self.sittings:
            raise Invalid("a session has at least one sitting", field="sittings")
        for sitting in self.sittings:
            if sitting.ends_at <= sitting.starts_at:
                raise Invalid("a sitting ends after it starts", field="sittings")
        if not (self.venue or self.online_url):
            raise Invalid("a session has a venue or an online link", field="venue")

    @property
    def starts_at(self) -> datetime:
        """Start of the first sitting."""
        return min(s.starts_at for s in self.sittings)

    @property
    def ends_at(self) -> datetime:
        """End of the last sitting."""
        return max(s.ends_at for s in self.sittings)

    def facts(self) -> dict[str, object]:
        """What every session event says."""
        return {
            "session_id": self.session_id,
            "title": self.title,
            "format": self.format.value,
            "topic": self.topic,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "venue": self.venue,
            "online_url": self.online_url,
        }

    def scheduled(self) -> TrainingScheduled:
        """The event inviting the members whose needs match."""
        return TrainingScheduled(
            **self.facts(),
            capacity=self.capacity,
            invited=self.invited,
            priority_until=self.priority_until,
        )

    def admits(self, member_id: str, now: datetime) -> None:
        """Whether the member may register now: open, or invited within the window."""
        if self.status is SessionStatus.OPEN:
            return
        if self.status is not SessionStatus.SCHEDULED:
            raise SessionConflict(f"the session is {self.status}", field="session_id")
        if member_id not in self.invited and now < self.priority_until:
            raise NotInvitedYet(
                f"registration opens to every member at {self.priority_until.isoformat()}",
                field="member_id",
            )

    def open(self, seats_left: int) -> RegistrationOpened:
        """End the priority window: every member in good standing may register."""
        if self.status is not SessionStatus.SCHEDULED:
            raise SessionConflict(f"the session is {self.status}")
        self.status = SessionStatus.OPEN
        return RegistrationOpened(**self.facts(), seats_left=seats_left)

    def reschedule(
        self, sittings: list[Sitting] | None, venue: str | None, online_url: str | None
    ) -> None:
        """Change time or place; the calendar sequence goes up."""
        if self.status in (SessionStatus.CANCELLED, SessionStatus.COMPLETED):
            raise SessionConflict(f"the session is {self.status}")
        self.sittings = sittings or self.sittings
        self.venue = venue if venue is not None else self.venue
        self.online_url = online_url if online_url is not None else self.online_url
        self.sequence += 1
        self.__post_init__()

    def cancel(self, reason: str, registrations: int) -> TrainingCancelled:
        """Call the session off (its calendar cancellations carry the next sequence)."""
        if self.status in (SessionStatus.CANCELLED, SessionStatus.COMPLETED):
            raise SessionConflict(f"the session is {self.status}")
        self.status = SessionStatus.CANCELLED
        return TrainingCancelled(**self.facts(), reason=reason, registrations=registrations)

    def sitting(self, sitting_id: str) -> Sitting:
        """One sitting, or `NotFound`."""
        found = next((s for s in self.sittings if s.sitting_id == sitting_id), None)
        if found is None:
            raise NotFound(f"no sitting {sitting_id}", field="sitting_id")
        return found

    def record_attendance(self, sitting_id: str, present: list[str]) -> None:
        """Who was present at a sitting (recorded again, it replaces)."""
        self.sitting(sitting_id)
        self.attendance[sitting_id] = sorted(set(present))

    def complete(self) -> None:
        """Attendance is closed: certificates are due."""
        if self.status in (SessionStatus.CANCELLED, SessionStatus.COMPLETED):
            raise SessionConflict(f"the session is {self.status}")
        self.status = SessionStatus.COMPLETED

    def attended_share(self, person_id: str) -> float:
        """Share of the sittings a person was present at."""
        present = sum(person_id in self.attendance.get(s.sitting_id, []) for s in self.sittings)
        return present / len(self.sittings)
