"""Registration use cases: register all-or-none, waitlist, offer freed seats, cancel.

The seat ledger is the only guard against overbooking: seats are taken by unique-key
inserts, re-reading the ledger after every lost race, so concurrent registrations in one
process or several never hold more seats than the session has.
"""

import asyncio
import hashlib
import hmac
import math
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from cmo_contracts.training import RegistrationCancelled
from cmo_shared.errors import Invalid, NotFound

from ..sessions.domain import Session, SessionStatus
from ..sessions.service import SessionService
from ..standing.service import Standing
from . import calendar
from .domain import (
    ACTIVE,
    AlreadyRegistered,
    CompanyCapReached,
    Person,
    Registration,
    RegistrationConflict,
    RegistrationStatus,
    SeatHold,
    free_seats,
    held_by,
    next_generation,
)
from .repository import RegistrationRepository, SeatLedger

WAITING = [RegistrationStatus.WAITLISTED.value]
HOLDING = [RegistrationStatus.CONFIRMED.value, RegistrationStatus.OFFERED.value]


@dataclass
class WaitlistLengths:
    """Each session's waitlist length, for the place a new waitlisted registration is given.

    Counted in the database at most every `max_age_s` per session (a count decodes every
    waitlisted registration on FerretDB, which made registering cost more the longer the
    waitlist), and counted on by this process's own waitlistings in between; places given
    by another replica, or freed by offers and cancellations, show at the next count. Offers
    follow the order of registration, not these places.
    """

    registrations: RegistrationRepository
    max_age_s: float = 5.0
    _known: dict[str, tuple[float, int]] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    async def next_place(self, session_id: str) -> int:
        """The place, from 1, of a registration joining the session's waitlist now."""
        async with self._locks.setdefault(session_id, asyncio.Lock()):
            counted_at, length = self._known.get(session_id, (-math.inf, 0))
            if time.monotonic() - counted_at > self.max_age_s:
                counted_at, length = time.monotonic(), await self.registrations.waiting(session_id)
            self._known[session_id] = (counted_at, length + 1)
            return length + 1


@dataclass
class RegistrationService:
    """Registrations for sessions, their seats and the waitlist."""

    registrations: RegistrationRepository
    seats: SeatLedger
    sessions: SessionService
    standing: Standing
    hold_hours: float
    organiser: str
    organiser_name: str
    public_url: str
    feed_secret: str
    waitlist: WaitlistLengths = field(init=False)

    def __post_init__(self) -> None:
        self.waitlist = WaitlistLengths(self.registrations)

    def _invitations(self, session: Session, people: list[Person], *, cancel: bool = False):
        return calendar.invitations(
            session,
            people,
            organiser=self.organiser,
            organiser_name=self.organiser_name,
            cancel=cancel,
        )

    async def seats_left(self, session: Session) -> int:
        """Seats not taken."""
        return len(free_seats(await self.seats.holds(session.session_id), session.capacity))

    async def _claim(self, session: Session, registration_id: str, count: int) -> list[int] | None:
        """Take `count` seats for a registration, or none (giving back any taken)."""
        for _ in range(4 * session.capacity + 10):
            holds = await self.seats.holds(session.session_id)
            mine = held_by(holds, registration_id)
            if len(mine) >= count:
                return mine[:count]
            free = free_seats(holds, session.capacity)
            if len(free) < count - len(mine):
                await self._give_back(session.session_id, registration_id)
                return None
            seat = random.choice(free)  # spread concurrent takers over the free seats
            hold = SeatHold(seat, next_generation(holds, seat), registration_id)
            await self.seats.take(session.session_id, hold)
        raise RuntimeError(f"seats of {session.session_id} kept changing under registration")

    async def _give_back(self, session_id: str, registration_id: str) -> None:
        holds = await self.seats.holds(session_id)
        for seat in held_by(holds, registration_id):
            await self.seats.take(session_id, SeatHold(seat, holds[seat].generation + 1, None))

    async def register(self, session_id: str, member_id: str, people: list[Person]) -> Registration:
        """Register a company's people, all or none: confirmed, else waitlisted.

        Seats are claimed first under the registration's new id, then the registration is
        stored once, in its final status, with its event: `registration.confirmed` (each
        person's calendar invitation) or `registration.waitlisted`. Seats claimed for a
        registration that was never stored (a crash in between) are given back by the job.
        """
        member = await self.standing.admit(member_id)
        session = await self.sessions.get(session_id, field="session_id")
        now = datetime.now(UTC)
        session.admits(member_id, now)
        waiting = await self.registrations.anyone_waiting(session_id)
        mine = await self.registrations.of_session(session_id, list(ACTIVE), member_id)
        taken = sum(len(r.people) for r in mine)
        if taken + len(people) > session.company_cap:
            raise CompanyCapReached(
                f"a company may hold {session.company_cap} seats; it has {taken}", field="people"
            )
        emails = {p.email.casefold() for r in mine for p in r.people}
        if clash := [p.email for p in people if p.email.casefold() in emails]:
            raise AlreadyRegistered(f"{', '.join(clash)} is registered already", field="people")
        registration = Registration(
            str(uuid.uuid4()), session_id, member_id, member.legal_name, people, now
        )
        seats = None
        if not waiting:
            seats = await self._claim(session, registration.registration_id, len(people))
        facts = session.facts()
        if seats is not None:
            event = registration.confirm(seats, facts, self._invitations(session, people))
        else:
            event = registration.waitlist(await self.waitlist.next_place(session_id), facts)
        try:
            await self.registrations.add(registration, [event])
        except BaseException:
            if seats is not None:
                await asyncio.shield(self._give_back(session_id, registration.registration_id))
            raise
        return registration

    async def accept(self, registration_id: str) -> Registration:
        """Take up the seats offered; emits `registration.confirmed`."""
        registration = await self.registrations.get(registration_id)
        session = await self.sessions.get(registration.session_id)
        async with self.registrations.changing(registration_id) as change:
            if change.item.status is not RegistrationStatus.OFFERED:
                raise RegistrationConflict(f"the registration is {change.item.status}")
            invitations = self._invitations(session, change.item.people)
            change.record(change.item.confirm(change.item.seats, session.facts(), invitations))
        return change.item

    async def cancel(self, registration_id: str, reason: str) -> Registration:
        """Give up the seats (or leave the waitlist); the seats go to the next in line."""
        registration = await self.registrations.get(registration_id)
        session = await self.sessions.get(registration.session_id)
        async with self.registrations.changing(registration_id) as change:
            change.record(self._cancellation(change.item, session, reason))
        await self._give_back(session.session_id, registration_id)
        await self.offer_next(session)
        return change.item

    def _cancellation(
        self, registration: Registration, session: Session, reason: str
    ) -> RegistrationCancelled:
        """Cancel a registration; people holding seats get a calendar `METHOD:CANCEL`."""
        held = registration.status.value in HOLDING
        invitations = self._invitations(session, registration.people, cancel=True) if held else {}
        return registration.cancel(reason, session.facts(), invitations, datetime.now(UTC))

    async def offer_next(self, session: Session) -> int:
        """Offer free seats to the waitlist, first come first served (nobody skips a group)."""
        offered = 0
        hold_until = datetime.now(UTC) + timedelta(hours=self.hold_hours)
        for waiting in await self.registrations.of_session(session.session_id, WAITING):
            seats = await self._claim(session, waiting.registration_id, len(waiting.people))
            if seats is None:
                break
            async with self.registrations.changing(waiting.registration_id) as change:
                if change.item.status is not RegistrationStatus.WAITLISTED:
                    continue
                change.record(change.item.offer(seats, hold_until, session.facts()))
            offered += 1
        return offered

    async def pass_on(self) -> str:
        """Cancel offers whose hold time passed (seats to the next); free orphaned seats."""
        now = datetime.now(UTC)
        expired = await self.registrations.offers_due(now)
        for registration in expired:
            await self.cancel(registration.registration_id, "offer expired")
        holds = await self.seats.taken_between(now - timedelta(hours=1), now - timedelta(minutes=1))
        stored = await self.registrations.existing({h.holder for _, h in holds if h.holder})
        orphaned = {(s, h.holder) for s, h in holds if h.holder and h.holder not in stored}
        for session_id, holder in sorted(orphaned):
            await self._give_back(session_id, holder)
            await self.offer_next(await self.sessions.get(session_id))
        return f"{len(expired)} offers passed on, {len(orphaned)} orphaned claims given back"

    async def reschedule(
        self, session_id: str, sittings: list | None, venue: str | None, online_url: str | None
    ) -> Session:
        """Change a session's time or place; confirmed people get an updated invitation."""
        session = await self.sessions.reschedule(session_id, sittings, venue, online_url)
        for registration in await self.registrations.of_session(
            session_id, [RegistrationStatus.CONFIRMED.value]
        ):
            async with self.registrations.changing(registration.registration_id) as change:
                invitations = self._invitations(session, change.item.people)
                change.record(change.item.reinvite(session.facts(), invitations))
        return session

    async def cancel_session(self, session_id: str, reason: str) -> Session:
        """Call a session off and cancel its registrations (`METHOD:CANCEL` for seat holders).

        Emits `training.cancelled` and `registration.cancelled`. The session is cancelled
        first, so nobody registers meanwhile; a retry after a crash cancels those still active.
        """
        active = await self.registrations.of_session(session_id, list(ACTIVE))
        session = await self.sessions.get(session_id)
        if session.status is not SessionStatus.CANCELLED:
            session = await self.sessions.cancel(session_id, reason, len(active))
        for registration in active:
            async with self.registrations.changing(registration.registration_id) as change:
                if change.item.status.value in ACTIVE:
                    change.record(self._cancellation(change.item, session, reason))
        return session

    async def close(self, registration_id: str, attended: bool) -> None:
        """After the session: attended or no-show."""
        async with self.registrations.changing(registration_id) as change:
            change.item.close(attended)

    async def get(self, registration_id: str) -> Registration:
        """One registration, or `NotFound`."""
        return await self.registrations.get(registration_id)

    async def of_session(
        self, session_id: str, member_id: str | None, statuses: list[str] | None
    ) -> list[Registration]:
        """A session's registrations (a company's, if named), first registered first."""
        await self.sessions.get(session_id)
        everything = [s.value for s in RegistrationStatus]
        return await self.registrations.of_session(session_id, statuses or everything, member_id)

    async def people_confirmed(self, session_id: str) -> dict[str, tuple[Registration, Person]]:
        """Each confirmed person of a session, by `contact_id`, with their registration."""
        confirmed = await self.registrations.of_session(
            session_id, [RegistrationStatus.CONFIRMED.value]
        )
        return {p.contact_id: (r, p) for r in confirmed for p in r.people}

    def _feed_token(self, member_id: str) -> str:
        message = f"calendar:{member_id}".encode()
        return hmac.new(self.feed_secret.encode(), message, hashlib.sha256).hexdigest()[:32]

    def feed_url(self, member_id: str) -> str:
        """The private address of a company's calendar (a calendar app subscribes to it)."""
        token = self._feed_token(member_id)
        return f"{self.public_url}/calendar/{quote(member_id, safe='')}.ics?token={token}"

    async def feed(self, member_id: str, token: str) -> str:
        """A company's calendar, for the holder of its private address only."""
        if not hmac.compare_digest(token.encode(), self._feed_token(member_id).encode()):
            raise NotFound("no such calendar", field="token")
        confirmed = [RegistrationStatus.CONFIRMED.value, RegistrationStatus.ATTENDED.value]
        entries = []
        for registration in await self.registrations.of_member(member_id, confirmed):
            session = await self.sessions.get(registration.session_id)
            entries += [(session, p) for p in registration.people]
        return calendar.feed(entries, organiser=self.organiser, organiser_name=self.organiser_name)

    @staticmethod
    def people(items: list[dict[str, str]]) -> list[Person]:
        """People of a request, each with a new `contact_id`; the same address twice is refused."""
        emails = [i["email"].casefold() for i in items]
        if len(set(emails)) != len(emails):
            raise Invalid("each person is registered once", field="people")
        return [Person(str(uuid.uuid4()), i["name"], i["email"], i["language"]) for i in items]
