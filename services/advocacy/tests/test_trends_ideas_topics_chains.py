"""Trend radar and bulletins, project ideas, topics and value chains on fakes."""

from datetime import date

import pytest
from cmo_advocacy.app import Repositories, features
from cmo_advocacy.ideas.domain import IdeaConflict, PromotedTo
from cmo_advocacy.ideas.service import IdeaService
from cmo_advocacy.settings import AdvocacySettings
from cmo_advocacy.standing.domain import MemberFacts, NotInGoodStanding
from cmo_advocacy.topics.domain import ActivityStatus, Priority, TopicConflict
from cmo_advocacy.topics.service import TopicService
from cmo_advocacy.trends.domain import BulletinExists, Movement, Quadrant, Ring
from cmo_advocacy.trends.service import TrendService
from cmo_advocacy.value_chains.domain import Finding, StageAssessment
from cmo_advocacy.value_chains.service import ValueChainService
from cmo_shared.errors import Invalid

from tests.fakes import advocacy_repositories

TEXT = {"ka": "ტ", "en": "t"}


@pytest.fixture
async def repos() -> Repositories:
    repos = advocacy_repositories()
    await repos.members.put(MemberFacts("a", "active", "A", "10.51", 20))
    await repos.members.put(MemberFacts("s", "suspended", "S", "10.51", 20))
    return repos


def _service(repos: Repositories, kind: type):
    services = [s for f in features(repos, AdvocacySettings()) for s in f.services]
    return next(s for s in services if isinstance(s, kind))


async def test_bulletins_tell_how_each_entry_moved_since_the_last(repos: Repositories) -> None:
    trends: TrendService = _service(repos, TrendService)
    fields = {"quadrant": Quadrant.TECHNOLOGIES, "rationale": TEXT, "sectors": []}
    solar = await trends.add_entry(
        {"name": {"ka": "მზე", "en": "Solar drying"}, "ring": Ring.ASSESS, **fields}
    )
    await trends.add_entry({"name": {"ka": "ბ", "en": "Blockchain"}, "ring": Ring.TRIAL, **fields})
    first = await trends.publish("2026-Q3", TEXT, actor="staff")
    assert {line.movement for line in first.lines} == {Movement.NEW}
    await trends.move(solar.entry_id, Ring.ADOPT, TEXT)
    blockchain = next(e for e in await trends.entries() if e.name["en"] == "Blockchain")
    await trends.move(blockchain.entry_id, Ring.HOLD, TEXT)
    second = await trends.publish("2026-Q4", TEXT, actor="staff")
    moved = {line.name["en"]: line.movement for line in second.lines}
    assert moved == {"Solar drying": Movement.IN, "Blockchain": Movement.OUT}
    assert second.published("https://cmo.example/b").moved == 2
    with pytest.raises(BulletinExists):
        await trends.publish("2026-Q4", TEXT, actor="staff")


async def test_members_in_good_standing_back_an_idea_once_and_staff_promote_it(
    repos: Repositories,
) -> None:
    ideas: IdeaService = _service(repos, IdeaService)
    idea = await ideas.propose({"title": TEXT, "description": TEXT, "sectors": []}, actor="staff")
    await ideas.back(idea.idea_id, "a", "we bring the dryers")
    backed = await ideas.back(idea.idea_id, "a", "and the site")
    assert [(b.member_id, b.note) for b in backed.backers] == [("a", "and the site")]
    with pytest.raises(NotInGoodStanding):
        await ideas.back(idea.idea_id, "s", None)
    promoted = await ideas.promote(idea.idea_id, PromotedTo.FUNDING_SEARCH)
    assert promoted.status.value == "promoted"
    event = repos.ideas.events[-1]  # type: ignore[attr-defined]
    assert (event.promoted_to, event.backers) == ("funding_search", ["a"])
    with pytest.raises(IdeaConflict):
        await ideas.back(idea.idea_id, "a", None)


async def test_a_strategy_is_planned_for_an_active_topic_only(repos: Repositories) -> None:
    topics: TopicService = _service(repos, TopicService)
    topic = await topics.screen(
        {
            "title": TEXT,
            "summary": TEXT,
            "sectors": ["10.5"],
            "priority": Priority.LOW,
            "source": "press",
        },
        actor="staff",
    )
    with pytest.raises(TopicConflict):
        await topics.plan(topic.topic_id, "Letter to the ministry", "Nino", date(2027, 1, 15))
    active = await topics.prioritise(topic.topic_id, Priority.HIGH)
    assert (active.status.value, active.priority) == ("active", Priority.HIGH)
    assert repos.topics.event_types() == ["topic.prioritised"]  # type: ignore[attr-defined]
    planned = await topics.plan(topic.topic_id, "Letter to the ministry", "Nino", date(2027, 1, 15))
    await topics.plan(topic.topic_id, "Round table", "Levan", date(2027, 2, 1))
    first = planned.activities[0].activity_id
    tracked = await topics.track(topic.topic_id, first, ActivityStatus.DONE)
    assert tracked.next_due == date(2027, 2, 1)


async def test_value_chain_versions_compare_stage_by_stage(repos: Repositories) -> None:
    chains: ValueChainService = _service(repos, ValueChainService)
    chain = await chains.define("dairy", TEXT, ["10.51"])
    await chains.assess(
        chain.value_chain_id,
        date(2025, 11, 1),
        [
            StageAssessment("collection", ["a", "b"], [Finding("no cooling at farms")]),
            StageAssessment("processing", ["c"], [Finding("no HACCP")]),
        ],
        "first",
        actor="staff",
    )
    await chains.assess(
        chain.value_chain_id,
        date(2026, 11, 1),
        [
            StageAssessment(
                "collection",
                ["a", "d"],
                [],
                [Finding("shared cooling centre", link_kind=None)],
            ),
            StageAssessment("processing", ["c"], [Finding("no HACCP")]),
        ],
        "second",
        actor="staff",
    )
    changes = {c.stage: c for c in await chains.compare(chain.value_chain_id, 1, 2)}
    collection = changes["collection"]
    assert (collection.members_joined, collection.members_left) == (["d"], ["b"])
    assert collection.gaps_closed == ["no cooling at farms"]
    assert collection.opportunities_new == ["shared cooling centre"]
    assert changes["processing"].gaps_new == []
    with pytest.raises(Invalid):
        await chains.assess(chain.value_chain_id, date(2024, 1, 1), [], "older", actor="staff")
    assert repos.value_chains.event_types() == ["value_chain.assessed"] * 2  # type: ignore[attr-defined]
