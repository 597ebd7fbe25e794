"""Fair delegations, feedback and the company calendar feed on fakes."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import vobject
from cmo_shared.errors import NotFound
from cmo_shared.standing import NotInGoodStanding
from cmo_training.app import Repositories, features
from cmo_training.fairs.domain import AlreadyApplied, split
from cmo_training.fairs.service import DelegationService
from cmo_training.feedback.domain import FOLLOW_UP_AFTER, Feedback, Kind, NotDue, summarise
from cmo_training.feedback.service import FeedbackService
from cmo_training.registrations.service import RegistrationService
from cmo_training.sessions.domain import Sitting
from cmo_training.sessions.service import SessionService
from cmo_training.settings import TrainingSettings
from cmo_training.standing.domain import MemberFacts

from tests.fakes import training_repositories


async def _repos() -> Repositories:
    repos = training_repositories()
    for i in range(4):
        await repos.members.put(MemberFacts(f"m{i}", "active", f"M{i}", "11.02"))
    await repos.members.put(MemberFacts("gone", "suspended", "Gone", "11.02"))
    return repos


def _service(repos: Repositories, kind: type):
    return next(
        s for f in features(repos, TrainingSettings()) for s in f.services if isinstance(s, kind)
    )


def test_a_cost_splits_to_the_tetri_and_sums_exactly() -> None:
    assert split(Decimal("1000.00"), 3) == [Decimal("333.34"), Decimal("333.33"), Decimal("333.33")]
    assert sum(split(Decimal("999.99"), 7)) == Decimal("999.99")


async def test_the_highest_scores_go_and_an_earlier_application_breaks_a_tie() -> None:
    repos = await _repos()
    fairs: DelegationService = _service(repos, DelegationService)
    delegation = await fairs.plan(
        {
            "fair": "ProWein 2027",
            "city": "Düsseldorf",
            "starts_on": date(2027, 3, 14),
            "ends_on": date(2027, 3, 16),
            "stand_area_m2": Decimal("24"),
            "total_cost": Decimal("12000.00"),
            "cofinancing_share": Decimal("0.7"),
            "cofinanced_by": "Enterprise Georgia",
            "places": 2,
        }
    )
    did = delegation.delegation_id
    for member in ("m0", "m1", "m2", "m3"):
        await fairs.apply(did, member, "our wines")
    with pytest.raises(AlreadyApplied):
        await fairs.apply(did, "m1", "again")
    with pytest.raises(NotInGoodStanding):
        await fairs.apply(did, "gone", "please")
    for member, score in (("m0", "70"), ("m1", "90"), ("m2", "90"), ("m3", "50")):
        await fairs.score(did, member, Decimal(score))
    selected = await fairs.select(did)
    chosen = [(a.member_id, a.rank, a.share) for a in selected.applications if a.selected]
    assert chosen == [("m1", 1, Decimal("1800.00")), ("m2", 2, Decimal("1800.00"))]
    events = repos.delegations.events  # type: ignore[attr-defined]
    assert [e.event_type_name for e in events].count("delegation.member_selected") == 2
    assert {
        e.member_id: e.share
        for e in events
        if e.event_type_name.endswith("selected") and hasattr(e, "share")
    } == {"m1": "1800.00", "m2": "1800.00"}


async def _completed_session(repos: Repositories, days_ago: int = 1):
    sessions: SessionService = _service(repos, SessionService)
    registrations: RegistrationService = _service(repos, RegistrationService)
    start = datetime.now(UTC) - timedelta(days=days_ago)
    session = await sessions.schedule(
        {
            "title": {"ka": "ღვინო", "en": "Wine"},
            "format": "workshop",
            "topic": "wine",
            "capacity": 5,
            "company_cap": 2,
            "venue": "Telavi",
            "provider": "Wine Academy",
        },
        [Sitting("a", start, start + timedelta(hours=2))],
        0,
    )
    people = RegistrationService.people(
        [{"name": "Levan", "email": "l@w.example", "language": "ka"}]
    )
    registration = await registrations.register(session.session_id, "m0", people)
    return session, registration, registrations, sessions


async def test_a_company_calendar_feed_lists_its_seats_for_its_token_only() -> None:
    repos = await _repos()
    session, registration, registrations, _ = await _completed_session(repos)
    url = registrations.feed_url("m0")
    token = url.split("token=")[1]
    calendar = vobject.readOne(await registrations.feed("m0", token))
    assert calendar.method.value == "PUBLISH"
    assert (
        calendar.vevent.uid.value
        == f"{session.session_id}.{registration.people[0].contact_id}@training.cmo"
    )
    with pytest.raises(NotFound):
        await registrations.feed("m1", token)


async def test_feedback_opens_after_the_session_and_the_follow_up_after_ninety_days() -> None:
    repos = await _repos()
    session, registration, _, sessions = await _completed_session(repos)
    feedback: FeedbackService = _service(repos, FeedbackService)
    contact = registration.people[0].contact_id
    with pytest.raises(NotDue):
        await feedback.answer(
            session.session_id, "m0", contact, Kind.REACTION, rating=5, applied=None, comment=None
        )
    await sessions.complete(session.session_id)
    await _service(repos, RegistrationService).close(registration.registration_id, True)
    await feedback.answer(
        session.session_id, "m0", contact, Kind.REACTION, rating=4, applied=None, comment="good"
    )
    await feedback.answer(
        session.session_id, "m0", contact, Kind.REACTION, rating=5, applied=None, comment="great"
    )
    with pytest.raises(NotDue):
        await feedback.answer(
            session.session_id,
            "m0",
            contact,
            Kind.FOLLOW_UP,
            rating=None,
            applied=True,
            comment=None,
        )
    with pytest.raises(NotFound):
        await feedback.answer(
            session.session_id, "m1", contact, Kind.REACTION, rating=1, applied=None, comment=None
        )
    result = await feedback.summary(session_id=None, provider="Wine Academy")
    assert (result.reactions, result.average_rating) == (1, 5.0)


async def test_a_follow_up_is_taken_once_ninety_days_have_passed() -> None:
    repos = await _repos()
    session, registration, registrations, sessions = await _completed_session(
        repos, days_ago=FOLLOW_UP_AFTER.days + 1
    )
    await sessions.complete(session.session_id)
    await registrations.close(registration.registration_id, True)
    feedback: FeedbackService = _service(repos, FeedbackService)
    contact = registration.people[0].contact_id
    await feedback.answer(
        session.session_id, "m0", contact, Kind.FOLLOW_UP, rating=None, applied=True, comment=None
    )
    result = await feedback.summary(session_id=session.session_id, provider=None)
    assert (result.follow_ups, result.applied_share) == (1, 1.0)


def test_follow_ups_sum_into_the_share_that_applied_it() -> None:
    now = datetime.now(UTC)
    answers = [
        Feedback(f"f{i}", "s", "p", "m", f"c{i}", Kind.FOLLOW_UP, None, i < 3, None, now)
        for i in range(4)
    ]
    assert summarise(answers).applied_share == 0.75


async def test_a_token_of_any_characters_is_refused_not_crashed_on() -> None:
    repos = await _repos()
    registrations: RegistrationService = _service(repos, RegistrationService)
    with pytest.raises(NotFound):
        await registrations.feed("m0", "ტოკენი")
