"""Member companies and their lifecycle: pure rules, no I/O."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from uuid import uuid4

from cmo_shared.errors import Conflict
from cmo_shared.events.members import ContactSnapshot, MemberApplied, MemberJoined, MemberProfile


class MemberStatus(StrEnum):
    """Where a member company stands in its membership lifecycle."""

    APPLICANT = "applicant"
    ACTIVE = "active"
    GRACE = "grace"
    SUSPENDED = "suspended"
    LAPSED = "lapsed"
    TERMINATED = "terminated"
    REJECTED = "rejected"


class TransitionNotAllowed(Conflict):
    """The lifecycle does not allow this command from the member's current status."""

    code = "transition_not_allowed"


@dataclass(frozen=True)
class Contact:
    """A person at a member company whom the CMO addresses."""

    contact_id: str
    name: str
    email: str
    language: str
    role: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded lifecycle transition: who moved the member, when, why."""

    from_status: MemberStatus | None
    to_status: MemberStatus
    actor: str
    reason: str | None
    at: datetime


@dataclass
class Member:
    """A member company (or applicant) of the cluster."""

    member_id: str
    legal_name: str
    tax_id: str
    sector: str
    employees: int
    region: str
    contacts: list[Contact]
    status: MemberStatus
    created_at: datetime
    version: int = 0
    history: list[HistoryEntry] = field(default_factory=list)

    def profile(self) -> dict[str, object]:
        """The profile fields shared in member events."""
        return MemberProfile(
            member_id=self.member_id,
            legal_name=self.legal_name,
            tax_id=self.tax_id,
            sector=self.sector,
            employees=self.employees,
            region=self.region,
            contacts=[ContactSnapshot(**vars(c)) for c in self.contacts],
        ).model_dump()

    def _move(self, to: MemberStatus, allowed: set[MemberStatus], actor: str, reason: str | None):
        if self.status not in allowed:
            raise TransitionNotAllowed(
                f"cannot move a member from {self.status} to {to}", field="status"
            )
        self.history.append(HistoryEntry(self.status, to, actor, reason, datetime.now(UTC)))
        self.status = to

    def approve(self, *, actor: str, reason: str | None) -> MemberJoined:
        """Accept an applicant as an active member."""
        self._move(MemberStatus.ACTIVE, {MemberStatus.APPLICANT}, actor, reason)
        return MemberJoined(**self.profile(), approved_by=actor, reason=reason)


def apply_for_membership(
    *,
    legal_name: str,
    tax_id: str,
    sector: str,
    employees: int,
    region: str,
    contacts: list[dict[str, str | None]],
    actor: str,
) -> tuple[Member, MemberApplied]:
    """Register a company as an applicant; contacts get stable ids."""
    now = datetime.now(UTC)
    member = Member(
        member_id=str(uuid4()),
        legal_name=legal_name,
        tax_id=tax_id,
        sector=sector,
        employees=employees,
        region=region,
        contacts=[Contact(contact_id=str(uuid4()), **c) for c in contacts],  # type: ignore[arg-type]
        status=MemberStatus.APPLICANT,
        created_at=now,
        history=[HistoryEntry(None, MemberStatus.APPLICANT, actor, "application received", now)],
    )
    return member, MemberApplied(**member.profile())
