"""Registrations, seats and the waitlist: pure rules.

A company registers one or more people in one request, all or none: `confirmed` when seats
for all of them were taken, else `waitlisted`. A cancellation frees seats that are offered to
the first on the waitlist (`offered`, held until a deadline: it is accepted, or passes to the
next); people may leave the waitlist. After the session, `attended` or `no_show`.

Seats are numbered 1..capacity and taken by inserting `(session, seat, generation)` under a
unique key: of two concurrent takers of one seat exactly one succeeds, on MongoDB and on
FerretDB alike, so a session is never overbooked. A seat's holder is that of its latest
generation; `None` there means the seat was given back.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cmo_contracts.members import ContactSnapshot
from cmo_contracts.training import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationOffered,
    RegistrationWaitlisted,
)
from cmo_shared.errors import Conflict

ACTIVE = ("pending", "confirmed", "waitlisted", "offered")


class RegistrationStatus(StrEnum):
    """`pending -> confirmed | waitlisted -> offered -> confirmed -> attended | no_show`."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class RegistrationConflict(Conflict):
    """The registration cannot do that in its status."""

    code = "registration_state_conflict"


class CompanyCapReached(Conflict):
    """The company would hold more seats of the session than it may."""

    code = "company_cap_reached"


class AlreadyRegistered(Conflict):
    """A person is registered for the session already."""

    code = "already_registered"


@dataclass
class Person:
    """A person a company registers."""

    contact_id: str
    name: str
    email: str
    language: str


@dataclass(frozen=True)
class SeatHold:
    """A seat's latest generation: who holds it (none: given back)."""

    seat: int
    generation: int
    holder: str | None


def free_seats(holds: dict[int, SeatHold], capacity: int) -> list[int]:
    """Seats never taken or given back."""
    return [s for s in range(1, capacity + 1) if s not in holds or holds[s].holder is None]


def held_by(holds: dict[int, SeatHold], registration_id: str) -> list[int]:
    """The seats a registration holds."""
    return sorted(s for s, h in holds.items() if h.holder == registration_id)


def next_generation(holds: dict[int, SeatHold], seat: int) -> int:
    """The generation the next change of a seat is written as."""
    return holds[seat].generation + 1 if seat in holds else 1


@dataclass
class Registration:
    """A company's registration of its people for a session."""

    registration_id: str
    session_id: str
    member_id: str
    legal_name: str
    people: list[Person]
    registered_at: datetime
    status: RegistrationStatus = RegistrationStatus.PENDING
    seats: list[int] = field(default_factory=list)
    hold_until: datetime | None = None
    reason: str | None = None
    changed_at: datetime | None = None

    def _facts(self, session: dict[str, object]) -> dict[str, object]:
        return {
            **session,
            "registration_id": self.registration_id,
            "member_id": self.member_id,
            "legal_name": self.legal_name,
            "contacts": [
                ContactSnapshot(
                    contact_id=p.contact_id, name=p.name, email=p.email, language=p.language
                )
                for p in self.people
            ],
        }

    def confirm(
        self, seats: list[int], session: dict[str, object], invitations: dict[str, str]
    ) -> RegistrationConfirmed:
        """Seats were taken for every person (a new registration, or an accepted offer)."""
        if self.status not in (RegistrationStatus.PENDING, RegistrationStatus.OFFERED):
            raise RegistrationConflict(f"the registration is {self.status}")
        self.status, self.seats, self.hold_until = RegistrationStatus.CONFIRMED, seats, None
        return RegistrationConfirmed(**self._facts(session), invitations=invitations)

    def reinvite(
        self, session: dict[str, object], invitations: dict[str, str]
    ) -> RegistrationConfirmed | None:
        """A confirmed registration's updated invitation (the session's time or place moved)."""
        if self.status is not RegistrationStatus.CONFIRMED:
            return None
        return RegistrationConfirmed(**self._facts(session), invitations=invitations)

    def waitlist(self, position: int, session: dict[str, object]) -> RegistrationWaitlisted:
        """No seats for all its people: on the waitlist."""
        if self.status is not RegistrationStatus.PENDING:
            raise RegistrationConflict(f"the registration is {self.status}")
        self.status = RegistrationStatus.WAITLISTED
        return RegistrationWaitlisted(**self._facts(session), position=position)

    def offer(
        self, seats: list[int], hold_until: datetime, session: dict[str, object]
    ) -> RegistrationOffered:
        """Freed seats are held for this waitlisted registration."""
        if self.status is not RegistrationStatus.WAITLISTED:
            raise RegistrationConflict(f"the registration is {self.status}")
        self.status, self.seats, self.hold_until = RegistrationStatus.OFFERED, seats, hold_until
        return RegistrationOffered(**self._facts(session), hold_until=hold_until)

    def cancel(
        self, reason: str, session: dict[str, object], invitations: dict[str, str], now: datetime
    ) -> RegistrationCancelled:
        """Give up the seats or leave the waitlist."""
        if self.status.value not in ACTIVE:
            raise RegistrationConflict(f"the registration is {self.status}")
        self.status, self.reason, self.changed_at = RegistrationStatus.CANCELLED, reason, now
        return RegistrationCancelled(**self._facts(session), reason=reason, invitations=invitations)

    def close(self, attended: bool) -> None:
        """After the session: attended (someone of it came) or no-show."""
        if self.status is RegistrationStatus.CONFIRMED:
            self.status = RegistrationStatus.ATTENDED if attended else RegistrationStatus.NO_SHOW
