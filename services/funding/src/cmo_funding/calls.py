"""Funding calls and members' applications: lifecycles and their rules, no I/O."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from cmo_shared.errors import Conflict, DomainError

from .eligibility import Criteria

REMINDER_DAYS = 7


class CallStatus(StrEnum):
    """`draft -> published -> closed`."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class ApplicationStatus(StrEnum):
    """`interested -> preparing -> submitted -> awarded | rejected`."""

    INTERESTED = "interested"
    PREPARING = "preparing"
    SUBMITTED = "submitted"
    AWARDED = "awarded"
    REJECTED = "rejected"


A = ApplicationStatus
NEXT_STATUSES: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    A.INTERESTED: frozenset({A.PREPARING}),
    A.PREPARING: frozenset({A.SUBMITTED}),
    A.SUBMITTED: frozenset({A.AWARDED, A.REJECTED}),
    A.AWARDED: frozenset(),
    A.REJECTED: frozenset(),
}
AWAITING_SUBMISSION = frozenset({A.INTERESTED, A.PREPARING})


class CallStateConflict(Conflict):
    """The call's status does not allow this."""

    code = "call_state_conflict"


class ApplicationTransitionNotAllowed(Conflict):
    """An application cannot move to that status from where it is."""

    code = "transition_not_allowed"


class CallAlreadyClosing(DomainError):
    """A call cannot be published when its close date has passed (a conflict with today)."""

    status = 409
    code = "close_date_passed"


@dataclass
class FundingCall:
    """One call of a funding programme."""

    call_id: str
    programme: str
    funder: str
    funder_kind: str
    title: dict[str, str]
    description: dict[str, str]
    instrument: str
    currency: str
    opens_on: date
    closes_on: date
    criteria: Criteria
    conditions: dict[str, str] = field(default_factory=dict)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    co_financing_share: float | None = None
    status: CallStatus = CallStatus.DRAFT
    created_by: str = ""
    published_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None

    def edit(self, changes: dict[str, object]) -> None:
        """Change a draft's fields; a published call is what members were told, so it stays."""
        if self.status is not CallStatus.DRAFT:
            raise CallStateConflict(f"a {self.status} call cannot be edited", field="status")
        for name, value in changes.items():
            setattr(self, name, value)

    def publish(self, *, today: date, now: datetime) -> None:
        """Open the call to members; its close date must not have passed."""
        if self.status is not CallStatus.DRAFT:
            raise CallStateConflict(f"a {self.status} call cannot be published", field="status")
        if self.closes_on < today:
            raise CallAlreadyClosing("the close date has passed", field="closes_on")
        self.status = CallStatus.PUBLISHED
        self.published_at = now

    def close(self, *, actor: str, now: datetime) -> None:
        """Stop taking applications."""
        if self.status is not CallStatus.PUBLISHED:
            raise CallStateConflict(f"a {self.status} call cannot be closed", field="status")
        self.status = CallStatus.CLOSED
        self.closed_at = now
        self.closed_by = actor

    def due_to_close(self, today: date) -> bool:
        """A published call closes the day after its close date (Tbilisi time)."""
        return self.status is CallStatus.PUBLISHED and self.closes_on < today

    def days_left(self, today: date) -> int:
        """Whole days from `today` to the close date."""
        return (self.closes_on - today).days


def next_status(current: ApplicationStatus, wanted: ApplicationStatus) -> ApplicationStatus:
    """The application's new status, if the pipeline allows the move."""
    if wanted not in NEXT_STATUSES[current]:
        raise ApplicationTransitionNotAllowed(
            f"an application cannot move from {current} to {wanted}", field="status"
        )
    return wanted


def reminder_due(call: FundingCall, status: ApplicationStatus, today: date) -> bool:
    """An application awaiting submission is reminded once its call closes within a week."""
    return (
        call.status is CallStatus.PUBLISHED
        and status in AWAITING_SUBMISSION
        and 0 <= call.days_left(today) <= REMINDER_DAYS
    )
