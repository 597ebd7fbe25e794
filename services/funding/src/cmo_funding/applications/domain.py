"""Members' applications to funding calls: the pipeline staff follow, and its reminders.

Pure rules, no I/O.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cmo_contracts.funding import (
    FundingApplicationStatusChanged,
    FundingDeadlineApproaching,
    FundingInterestExpressed,
)
from cmo_shared.errors import Conflict

from ..calls.domain import CallStatus, FundingCall, call_facts

REMINDER_DAYS = 7


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
PAST_SUBMISSION = frozenset({A.SUBMITTED, A.AWARDED, A.REJECTED})


class ApplicationTransitionNotAllowed(Conflict):
    """An application cannot move to that status from where it is."""

    code = "transition_not_allowed"


class NotMatched(Conflict):
    """Interest is expressed in calls the member was matched with."""

    code = "not_matched"


class AlreadyInterested(Conflict):
    """The member already follows an application to this call."""

    code = "already_interested"


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


@dataclass
class Application:
    """A member's application to a call, followed by staff (id `<call id>:<member id>`)."""

    call_id: str
    member_id: str
    currency: str
    created_at: datetime
    status: ApplicationStatus = ApplicationStatus.INTERESTED
    amount_awarded: str | None = None
    documents: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    reminded: bool = False

    @property
    def application_id(self) -> str:
        """`<call id>:<member id>`: one application per member and call."""
        return f"{self.call_id}:{self.member_id}"

    def move(
        self,
        call: FundingCall,
        wanted: ApplicationStatus,
        *,
        note: str | None,
        documents: list[str],
        amount_awarded: Decimal | None,
        actor: str,
        at: datetime,
    ) -> FundingApplicationStatusChanged:
        """Take the next step of the pipeline, with its note and documents."""
        current = self.status
        self.status = next_status(current, wanted)
        if self.status is ApplicationStatus.AWARDED and amount_awarded is not None:
            self.amount_awarded = str(amount_awarded)
        else:
            self.amount_awarded = None
        self.documents += [d for d in documents if d not in self.documents]
        self.notes += [note] if note else []
        self.history.append({"status": self.status.value, "actor": actor, "at": at, "note": note})
        return FundingApplicationStatusChanged(
            **call_facts(call),
            member_id=self.member_id,
            application_id=self.application_id,
            from_status=current.value,
            to_status=self.status.value,
            note=note,
            amount_awarded=self.amount_awarded,
        )

    def remind(self, call: FundingCall, today: date) -> FundingDeadlineApproaching | None:
        """The reminder, once, when the call closes within a week and it is not submitted."""
        if self.reminded or not reminder_due(call, self.status, today):
            return None
        self.reminded = True
        return FundingDeadlineApproaching(
            **call_facts(call),
            member_id=self.member_id,
            application_id=self.application_id,
            days_left=call.days_left(today),
        )


def express_interest(
    call: FundingCall, member_id: str, *, matched: bool, actor: str, at: datetime
) -> tuple[Application, FundingInterestExpressed]:
    """A matched member starts an application to a published call."""
    if call.status is not CallStatus.PUBLISHED:
        raise Conflict(f"the call is {call.status}", field="call_id")
    if not matched:
        raise NotMatched(
            f"member {member_id} was not matched with call {call.call_id}", field="member_id"
        )
    application = Application(call.call_id, member_id, call.currency, at)
    application.history.append({"status": "interested", "actor": actor, "at": at, "note": None})
    event = FundingInterestExpressed(
        **call_facts(call), member_id=member_id, application_id=application.application_id
    )
    return application, event
