"""Funding calls: their lifecycle and the events it raises. Pure rules, no I/O."""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cmo_contracts.funding import FundingCallClosed, FundingCallPublished
from cmo_shared.errors import Conflict

from ..matching.domain import Criteria


class CallStatus(StrEnum):
    """`draft -> published -> closed`."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class CallStateConflict(Conflict):
    """The call's status does not allow this."""

    code = "call_state_conflict"


class CallAlreadyClosing(Conflict):
    """A call cannot be published when its close date has passed (a conflict with today)."""

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

    def publish(self, *, today: date, now: datetime) -> FundingCallPublished:
        """Open the call to members; its close date must not have passed."""
        if self.status is not CallStatus.DRAFT:
            raise CallStateConflict(f"a {self.status} call cannot be published", field="status")
        if self.closes_on < today:
            raise CallAlreadyClosing("the close date has passed", field="closes_on")
        self.status = CallStatus.PUBLISHED
        self.published_at = now
        return FundingCallPublished(
            **call_facts(self),
            description=self.description,
            co_financing_share=self.co_financing_share,
            opens_on=self.opens_on.isoformat(),
            criteria={**criteria_dict(self), "conditions": self.conditions},
        )

    def close(self, *, actor: str, now: datetime) -> FundingCallClosed:
        """Stop taking applications."""
        if self.status is not CallStatus.PUBLISHED:
            raise CallStateConflict(f"a {self.status} call cannot be closed", field="status")
        self.status = CallStatus.CLOSED
        self.closed_at = now
        self.closed_by = actor
        return FundingCallClosed(**call_facts(self), actor=actor)

    def due_to_close(self, today: date) -> bool:
        """A published call closes the day after its close date (Tbilisi time)."""
        return self.status is CallStatus.PUBLISHED and self.closes_on < today

    def days_left(self, today: date) -> int:
        """Whole days from `today` to the close date."""
        return (self.closes_on - today).days


def call_facts(call: FundingCall) -> dict[str, Any]:
    """The fields every call event repeats about its call."""
    return {
        "call_id": call.call_id,
        "programme": call.programme,
        "funder": call.funder,
        "funder_kind": call.funder_kind,
        "title": call.title,
        "instrument": call.instrument,
        "amount_min": None if call.amount_min is None else str(call.amount_min),
        "amount_max": None if call.amount_max is None else str(call.amount_max),
        "currency": call.currency,
        "closes_on": call.closes_on.isoformat(),
    }


def criteria_dict(call: FundingCall) -> dict[str, Any]:
    """A call's criteria as plain values (lists, not tuples)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(call.criteria).items()}
