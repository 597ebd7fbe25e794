"""Registrations on fakes: no overbooking under concurrency, the waitlist, offers, the window."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from cmo_shared.standing import NotInGoodStanding
from cmo_training.app import Repositories, features
from cmo_training.needs.domain import TrainingNeed
from cmo_training.registrations.domain import CompanyCapReached, RegistrationStatus, SeatHold
from cmo_training.registrations.service import RegistrationService
from cmo_training.sessions.domain import NotInvitedYet, SessionConflict, SessionStatus, Sitting
from cmo_training.sessions.service import SessionService
from cmo_training.settings import TrainingSettings
from cmo_training.standing.domain import MemberFacts

from tests.fakes import training_repositories

START = datetime(2027, 3, 1, 6, tzinfo=UTC)


def _services(repos: Repositories) -> tuple[SessionService, RegistrationService]:
    found = {type(s): s for f in features(repos, TrainingSettings()) for s in f.services}
    return found[SessionService], found[RegistrationService]  # type: ignore[return-value]


async def _setup(members: int, capacity: int, priority_hours: float = 0, cap: int = 5):
    repos = training_repositories()
    for i in range(members):
        await repos.members.put(MemberFacts(f"m{i}", "active", f"M{i}", "10.51"))
    await repos.members.put(MemberFacts("gone", "suspended", "Gone", "10.51"))
    await repos.needs.put(TrainingNeed("n0", "m0", 2027, "HACCP", 2))
    sessions, registrations = _services(repos)
    session = await sessions.schedule(
        {
            "title": {"ka": "ჰასპი", "en": "HACCP"},
            "format": "course",
            "topic": "haccp",
            "capacity": capacity,
            "company_cap": cap,
            "venue": "Kutaisi",
        },
        [Sitting("s1", START, START + timedelta(hours=3))],
        priority_hours,
    )
    return repos, sessions, registrations, session


def _people(member: str, n: int = 1):
    return RegistrationService.people(
        [
            {"name": f"{member} {i}", "email": f"{member}.{i}@x.example", "language": "en"}
            for i in range(n)
        ]
    )


async def test_fifty_concurrent_registrations_for_ten_seats_confirm_exactly_ten() -> None:
    repos, _, registrations, session = await _setup(50, 10)
    results = await asyncio.gather(
        *(registrations.register(session.session_id, f"m{i}", _people(f"m{i}")) for i in range(50))
    )
    statuses = [r.status for r in results]
    assert statuses.count(RegistrationStatus.CONFIRMED) == 10
    assert statuses.count(RegistrationStatus.WAITLISTED) == 40
    holders = await repos.seats.holds(session.session_id)
    confirmed = {r.registration_id for r in results if r.status is RegistrationStatus.CONFIRMED}
    assert {h.holder for h in holders.values()} == confirmed
    assert len(holders) == 10


async def test_a_group_is_confirmed_whole_or_waitlisted_whole() -> None:
    _, _, registrations, session = await _setup(3, 4)
    first = await registrations.register(session.session_id, "m0", _people("m0", 3))
    second = await registrations.register(session.session_id, "m1", _people("m1", 2))
    assert (first.status, len(first.seats)) == (RegistrationStatus.CONFIRMED, 3)
    assert (second.status, second.seats) == (RegistrationStatus.WAITLISTED, [])
    with pytest.raises(CompanyCapReached):
        await registrations.register(session.session_id, "m0", _people("m0b", 3))


async def test_a_cancellation_offers_the_seats_to_the_first_waitlisted_then_the_next() -> None:
    repos, _, registrations, session = await _setup(4, 1)
    holder = await registrations.register(session.session_id, "m0", _people("m0"))
    first = await registrations.register(session.session_id, "m1", _people("m1"))
    second = await registrations.register(session.session_id, "m2", _people("m2"))
    await registrations.cancel(holder.registration_id, "cannot come")
    offered = await registrations.get(first.registration_id)
    assert (offered.status, offered.seats) == (RegistrationStatus.OFFERED, holder.seats)
    # A newcomer does not jump the queue while people wait.
    late = await registrations.register(session.session_id, "m3", _people("m3"))
    assert late.status is RegistrationStatus.WAITLISTED
    async with repos.registrations.changing(first.registration_id) as change:
        change.item.hold_until = datetime.now(UTC) - timedelta(minutes=1)
    await registrations.pass_on()
    assert (await registrations.get(first.registration_id)).status is RegistrationStatus.CANCELLED
    passed = await registrations.get(second.registration_id)
    assert passed.status is RegistrationStatus.OFFERED
    accepted = await registrations.accept(second.registration_id)
    assert accepted.status is RegistrationStatus.CONFIRMED
    types = repos.registrations.event_types()  # type: ignore[attr-defined]
    assert types.count("registration.offered") == 2 and types.count("registration.confirmed") == 2


async def test_the_priority_window_admits_the_members_with_the_need_first() -> None:
    _, sessions, registrations, session = await _setup(2, 5, priority_hours=72)
    assert session.invited == ["m0"]
    with pytest.raises(NotInvitedYet):
        await registrations.register(session.session_id, "m1", _people("m1"))
    invited = await registrations.register(session.session_id, "m0", _people("m0"))
    assert invited.status is RegistrationStatus.CONFIRMED
    await sessions.open(session.session_id)
    later = await registrations.register(session.session_id, "m1", _people("m1"))
    assert later.status is RegistrationStatus.CONFIRMED
    with pytest.raises(NotInGoodStanding):
        await registrations.register(session.session_id, "gone", _people("gone"))


async def test_seats_claimed_for_a_registration_that_failed_to_store_are_given_back() -> None:
    repos, _, registrations, session = await _setup(2, 1)

    async def database_gone(*_: object) -> None:
        raise ConnectionError("the database went away")

    stored = repos.registrations.add
    repos.registrations.add = database_gone  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await registrations.register(session.session_id, "m0", _people("m0"))
    repos.registrations.add = stored  # type: ignore[method-assign]
    assert await registrations.seats_left(session) == 1
    again = await registrations.register(session.session_id, "m1", _people("m1"))
    assert again.status is RegistrationStatus.CONFIRMED


async def test_the_job_frees_seats_a_crash_left_claimed_and_offers_them_to_the_waitlist() -> None:
    repos, _, registrations, session = await _setup(2, 1)
    crashed = SeatHold(1, 1, "registration-never-stored")
    assert await repos.seats.take(session.session_id, crashed)
    waiting = await registrations.register(session.session_id, "m0", _people("m0"))
    assert waiting.status is RegistrationStatus.WAITLISTED
    assert "0 orphaned" in await registrations.pass_on()  # too recent: it may still be stored
    key = (session.session_id, 1, 1)
    repos.seats.taken_at[key] -= timedelta(minutes=5)  # type: ignore[attr-defined]
    assert "1 orphaned" in await registrations.pass_on()
    offered = await registrations.get(waiting.registration_id)
    assert (offered.status, offered.seats) == (RegistrationStatus.OFFERED, [1])


async def test_cancelling_a_session_cancels_every_registration_with_a_calendar_cancel() -> None:
    repos, _, registrations, session = await _setup(3, 1)
    held = await registrations.register(session.session_id, "m0", _people("m0"))
    waiting = await registrations.register(session.session_id, "m1", _people("m1"))
    cancelled = await registrations.cancel_session(session.session_id, "trainer ill")
    assert cancelled.status is SessionStatus.CANCELLED and cancelled.sequence == 0
    for registration in (held, waiting):
        after = await registrations.get(registration.registration_id)
        assert (after.status, after.reason) == (RegistrationStatus.CANCELLED, "trainer ill")
    events = repos.registrations.events  # type: ignore[attr-defined]
    cancels = {
        e.registration_id: e.invitations
        for e in events
        if e.event_type_name == "registration.cancelled"
    }
    (calendar,) = cancels[held.registration_id].values()
    assert "METHOD:CANCEL" in calendar and "SEQUENCE:1" in calendar
    assert cancels[waiting.registration_id] == {}
    assert "training.cancelled" in repos.sessions.event_types()  # type: ignore[attr-defined]
    with pytest.raises(SessionConflict):
        await registrations.register(session.session_id, "m2", _people("m2"))


async def test_waitlisted_registrations_get_places_in_order_without_a_count_each() -> None:
    repos, _, registrations, session = await _setup(6, 1)
    counts = 0
    count_waiting = repos.registrations.waiting

    async def counted(session_id: str) -> int:
        nonlocal counts
        counts += 1
        return await count_waiting(session_id)

    repos.registrations.waiting = counted  # type: ignore[method-assign]
    for i in range(6):
        await registrations.register(session.session_id, f"m{i}", _people(f"m{i}"))
    places = [e.position for e in repos.registrations.events if hasattr(e, "position")]
    assert places == [1, 2, 3, 4, 5]
    assert counts == 1, "the waitlist is counted once, then counted on"
