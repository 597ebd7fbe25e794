"""Consultations on fakes: the electorate, one ballot per company, secret mode, the tally."""

from datetime import UTC, datetime, timedelta

import pytest
from cmo_advocacy.app import features
from cmo_advocacy.consultations.domain import (
    NotInElectorate,
    Question,
    QuestionKind,
    Status,
    Weighting,
)
from cmo_advocacy.consultations.service import ConsultationService
from cmo_advocacy.settings import AdvocacySettings
from cmo_advocacy.standing.domain import MemberFacts, NotInGoodStanding
from cmo_shared.errors import Invalid

from tests.fakes import advocacy_repositories

QUESTIONS = [
    Question("support", QuestionKind.YES_NO_ABSTAIN, {"ka": "?", "en": "Support?"}),
    Question("why", QuestionKind.TEXT, {"ka": "?", "en": "Why?"}),
]


@pytest.fixture
async def service() -> ConsultationService:
    repos = advocacy_repositories()
    for member_id, sector, employees, status in (
        ("dairy", "10.51", 5, "active"),  # micro: weight 1
        ("bakery", "10.71", 300, "grace"),  # large: weight 4; grace is good standing
        ("mill", "10.61", 60, "suspended"),
        ("metal", "25.11", 40, "active"),
    ):
        await repos.members.put(MemberFacts(member_id, status, member_id, sector, employees))
    services = [s for f in features(repos, AdvocacySettings()) for s in f.services]
    return next(s for s in services if isinstance(s, ConsultationService))


async def _open(service: ConsultationService, **fields) -> str:
    consultation = await service.open(
        {
            "title": {"ka": "t", "en": "t"},
            "sectors": ["10"],
            "quorum": 0.5,
            "secret": False,
            "weighting": Weighting.EQUAL,
            "closes_at": datetime.now(UTC) + timedelta(days=1),
            **fields,
        },
        QUESTIONS,
    )
    return consultation.consultation_id


async def test_the_electorate_is_the_members_in_good_standing_of_the_sectors(
    service: ConsultationService,
) -> None:
    cid = await _open(service)
    consultation = await service.get(cid)
    assert sorted(v.member_id for v in consultation.electorate) == ["bakery", "dairy"]
    with pytest.raises(NotInGoodStanding):
        await service.respond(cid, "mill", {"support": "yes"})
    with pytest.raises(NotInElectorate):
        await service.respond(cid, "metal", {"support": "yes"})


async def test_a_second_response_replaces_the_first_and_abstaining_counts_to_the_quorum(
    service: ConsultationService,
) -> None:
    cid = await _open(service)
    assert await service.respond(cid, "dairy", {"support": "yes"}) is True
    assert await service.respond(cid, "dairy", {"support": "no", "why": "costs"}) is False
    await service.respond(cid, "bakery", {"support": "abstain"})
    closed = await service.close(cid)
    assert (closed.status, closed.responded, closed.turnout, closed.quorum_reached) == (
        Status.CLOSED,
        2,
        1.0,
        True,
    )
    support = next(t for t in closed.tally if t.question_id == "support")
    assert (support.counts, support.abstentions, support.answered) == (
        {"yes": "0", "no": "1"},
        "1",
        2,
    )


async def test_size_tiers_weigh_ballots_and_a_short_turnout_misses_the_quorum(
    service: ConsultationService,
) -> None:
    cid = await _open(service, weighting=Weighting.SIZE_TIER, quorum=0.75)
    await service.respond(cid, "bakery", {"support": "yes"})
    closed = await service.close(cid)
    support = next(t for t in closed.tally if t.question_id == "support")
    assert support.counts == {"yes": "4", "no": "0"}
    assert closed.quorum_reached is False


async def test_in_secret_mode_no_ballot_says_whose_it_is(service: ConsultationService) -> None:
    cid = await _open(service, secret=True)
    await service.respond(cid, "dairy", {"support": "yes"})
    await service.respond(cid, "dairy", {"support": "no"})
    ballots = await service.answers(cid)
    assert [(b.member_id, b.answers) for b in ballots] == [(None, {"support": "no"})]
    assert "dairy" not in ballots[0].key
    assert [p["member_id"] for p in await service.participation(cid)] == ["dairy"]
    own = await service.own_ballot(cid, "dairy")
    assert own is not None and own.answers == {"support": "no"}


async def test_a_position_from_a_consultation_is_adopted_once(
    service: ConsultationService,
) -> None:
    cid = await _open(service)
    await service.close(cid)
    body = {"consultation_id": cid, "title": {"ka": "p", "en": "p"}, "text": {"ka": "x", "en": "x"}}
    first = await service.adopt(dict(body), actor="staff")
    again = await service.adopt(dict(body), actor="staff")
    assert first.position_id == again.position_id
    assert first.sectors == ["10"]
    assert service.positions.event_types() == ["position.adopted"]  # type: ignore[attr-defined]
    assert (await service.get(cid)).status is Status.POSITION_ADOPTED


async def test_a_consultation_that_would_close_before_it_opens_is_refused(
    service: ConsultationService,
) -> None:
    with pytest.raises(Invalid) as refused:
        await _open(service, closes_at=datetime.now(UTC) - timedelta(minutes=1))
    assert refused.value.field == "closes_at"
    assert service.consultations.items == {}  # type: ignore[attr-defined]
