"""Member companies and their lifecycle: pure rules, no I/O."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import uuid4

from cmo_contracts import Payload
from cmo_contracts.members import (
    ContactSnapshot,
    MemberApplied,
    MemberGraceStarted,
    MemberJoined,
    MemberLeft,
    MemberProfile,
    MemberProfileUpdated,
    MemberReinstated,
    MemberRejected,
    MemberSuspended,
)
from cmo_shared.errors import Conflict, NotFound


class MemberStatus(StrEnum):
    """Where a member company stands in its membership lifecycle."""

    APPLICANT = "applicant"
    ACTIVE = "active"
    GRACE = "grace"
    SUSPENDED = "suspended"
    LAPSED = "lapsed"
    TERMINATED = "terminated"
    REJECTED = "rejected"


GOOD_STANDING = frozenset({MemberStatus.ACTIVE, MemberStatus.GRACE})


class NotInGoodStanding(Conflict):
    """Only members in good standing (active or in grace) use the common services."""

    code = "not_in_good_standing"


class DuplicateTaxId(Conflict):
    """Another member already has this tax id."""

    code = "duplicate_tax_id"


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
    turnover_band: str | None = None
    products: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    export_markets: list[str] = field(default_factory=list)
    website: str | None = None
    public_listing: bool = False
    founded_year: int | None = None
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
            turnover_band=self.turnover_band,
            products=self.products,
            certifications=self.certifications,
            export_markets=self.export_markets,
            website=self.website,
            public_listing=self.public_listing,
            founded_year=self.founded_year,
        ).model_dump()

    def _move(self, to: MemberStatus, allowed: set[MemberStatus], actor: str, reason: str | None):
        if self.status not in allowed:
            raise TransitionNotAllowed(
                f"cannot move a member from {self.status} to {to}", field="status"
            )
        self.history.append(HistoryEntry(self.status, to, actor, reason, datetime.now(UTC)))
        self.status = to

    @property
    def in_good_standing(self) -> bool:
        """Whether the member may use the common services (active, or in its grace period)."""
        return self.status in GOOD_STANDING

    def approve(self, *, actor: str, reason: str | None) -> MemberJoined:
        """Accept an applicant as an active member."""
        self._move(MemberStatus.ACTIVE, {MemberStatus.APPLICANT}, actor, reason)
        return MemberJoined(**self.profile(), approved_by=actor, reason=reason)

    def apply(self, command: str, *, actor: str, reason: str | None) -> Payload:
        """Carry out a lifecycle command (see `COMMANDS`); return its event's payload."""
        if command == "approve":
            return self.approve(actor=actor, reason=reason)
        allowed, to, event = COMMANDS[command]
        before = self.status
        self._move(to, set(allowed), actor, reason)
        return event(
            member_id=self.member_id,
            from_status=before.value,
            to_status=to.value,
            actor=actor,
            reason=reason,
        )

    def start_grace(self, *, actor: str, reason: str) -> MemberGraceStarted:
        """Enter the grace period after an unpaid invoice's due date."""
        self._move(MemberStatus.GRACE, {MemberStatus.ACTIVE}, actor, reason)
        return MemberGraceStarted(
            member_id=self.member_id,
            from_status=MemberStatus.ACTIVE.value,
            to_status=MemberStatus.GRACE.value,
            actor=actor,
            reason=reason,
        )

    def update_profile(self, changes: dict[str, object]) -> MemberProfileUpdated | None:
        """Apply profile changes; return the event, or None when nothing actually changed."""
        if self.status in {MemberStatus.TERMINATED, MemberStatus.REJECTED}:
            raise TransitionNotAllowed(
                f"the profile of a {self.status} member cannot change", field="status"
            )
        changed = []
        for name, value in changes.items():
            if name == "contacts":
                value = _merge_contacts(self.contacts, value)  # type: ignore[arg-type]
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed.append(name)
        if not changed:
            return None
        return MemberProfileUpdated(**self.profile(), changed=sorted(changed))


def _merge_contacts(current: list[Contact], given: list[dict[str, object]]) -> list[Contact]:
    """New contact list: given contacts keep their id when it is stated, new ones get one."""
    known = {c.contact_id for c in current}
    merged = []
    for data in given:
        contact_id = data.get("contact_id")
        if contact_id is not None and contact_id not in known:
            raise NotFound(f"contact {contact_id} not found", field="contacts.contact_id")
        merged.append(
            Contact(**{**data, "contact_id": contact_id or str(uuid4())})  # type: ignore[arg-type]
        )
    return merged


S = MemberStatus
COMMANDS: dict[str, tuple[frozenset[MemberStatus], MemberStatus, type[Payload]]] = {
    "reject": (frozenset({S.APPLICANT}), S.REJECTED, MemberRejected),
    "suspend": (frozenset({S.ACTIVE, S.GRACE}), S.SUSPENDED, MemberSuspended),
    "reinstate": (frozenset({S.GRACE, S.SUSPENDED}), S.ACTIVE, MemberReinstated),
    "lapse": (frozenset({S.SUSPENDED}), S.LAPSED, MemberLeft),
    "terminate": (frozenset({S.ACTIVE, S.GRACE, S.SUSPENDED, S.LAPSED}), S.TERMINATED, MemberLeft),
}


def apply_for_membership(
    *, contacts: list[dict[str, str | None]], actor: str, **profile: Any
) -> tuple[Member, MemberApplied]:
    """Register a company as an applicant; contacts get stable ids."""
    now = datetime.now(UTC)
    member = Member(
        member_id=str(uuid4()),
        contacts=[Contact(contact_id=str(uuid4()), **c) for c in contacts],  # type: ignore[arg-type]
        status=MemberStatus.APPLICANT,
        created_at=now,
        history=[HistoryEntry(None, MemberStatus.APPLICANT, actor, "application received", now)],
        **profile,
    )
    return member, MemberApplied(**member.profile())
