import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from cmo_procurement.categories.domain import Category
from cmo_procurement.categories.service import CategoryService
from cmo_procurement.demand.domain import NeedTerms, PoolStatus
from cmo_procurement.demand.service import DemandService
from cmo_procurement.standing.domain import MemberFacts, NotInGoodStanding
from cmo_procurement.standing.service import Standing
from cmo_shared.errors import Invalid

from tests.fakes import FakeCatalogueView, FakeCategories, FakeMemberView, FakeNeeds, FakePools

SOON = date.today() + timedelta(days=30)


def _terms(quantity: str, region: str = "Imereti") -> NeedTerms:
    return NeedTerms(
        category="packaging/glass-jars",
        unit="pieces",
        quantity=D(quantity),
        min_quantity=D(quantity),
        max_quantity=D(quantity),
        baseline_unit_price=D("0.60"),
        baseline_source="invoice",
        baseline_date=date(2026, 10, 1),
        wanted_by=SOON,
        region=region,
    )


@pytest.fixture
async def demand() -> DemandService:
    members = FakeMemberView()
    for member_id, status in (("a", "active"), ("b", "grace"), ("c", "active"), ("x", "suspended")):
        await members.put(MemberFacts(member_id, status, f"{member_id} LLC", "1", "Imereti"))
    categories = FakeCategories()
    await categories.put(
        Category(
            "packaging/glass-jars",
            {"ka": "ქ", "en": "Jars"},
            ["pieces"],
            threshold_quantity=D("1000"),
            threshold_members=2,
        )
    )
    standing = Standing(members, FakeCatalogueView())
    return DemandService(FakeNeeds(), FakePools(), CategoryService(categories), standing)


async def test_needs_fill_one_pool_and_its_threshold_is_announced_once(
    demand: DemandService,
) -> None:
    first = await demand.state("a", _terms("600"), actor="a")
    second = await demand.state("b", _terms("500"), actor="staff")
    await demand.state("c", _terms("100"), actor="c")
    assert first.pool_id == second.pool_id
    pool = await demand.get_pool(first.pool_id)  # type: ignore[arg-type]
    assert (pool.status, pool.fill.quantity, pool.fill.members) == (
        PoolStatus.THRESHOLD_REACHED,
        D("1200"),
        3,
    )
    announced = [e for e in demand.pools.events if e.event_type_name.endswith("threshold_reached")]  # type: ignore[attr-defined]
    assert len(announced) == 1
    assert demand.needs.event_types() == ["procurement.need_stated"] * 3  # type: ignore[attr-defined]


async def test_a_member_not_in_good_standing_states_nothing(demand: DemandService) -> None:
    with pytest.raises(NotInGoodStanding):
        await demand.state("x", _terms("600"), actor="staff")
    with pytest.raises(Invalid):  # jars are counted in pieces
        await demand.state("a", dataclasses.replace(_terms("600"), unit="kg"), actor="a")
    assert demand.needs.items == {}  # type: ignore[attr-defined]


async def test_a_cancelled_tender_hands_its_needs_to_the_pool_open_meanwhile(
    demand: DemandService,
) -> None:
    old = await demand.state("a", _terms("600"), actor="a")
    await demand.state("b", _terms("500"), actor="b")
    async with demand.pools.changing(old.pool_id) as change:  # type: ignore[arg-type]
        change.item.tender("t1", actor="staff", at=datetime.now(UTC))
    newer = await demand.state("c", _terms("100"), actor="c")
    assert newer.pool_id != old.pool_id
    await demand.release(old.pool_id, actor="staff")  # type: ignore[arg-type]
    assert (await demand.get_pool(old.pool_id)).status is PoolStatus.CANCELLED  # type: ignore[arg-type]
    pool = await demand.get_pool(newer.pool_id)  # type: ignore[arg-type]
    assert (pool.fill.quantity, pool.fill.members, pool.status) == (
        D("1200"),
        3,
        PoolStatus.THRESHOLD_REACHED,
    )


async def test_a_released_pool_without_a_rival_collects_again(demand: DemandService) -> None:
    need = await demand.state("a", _terms("600"), actor="a")
    await demand.state("b", _terms("500"), actor="b")
    async with demand.pools.changing(need.pool_id) as change:  # type: ignore[arg-type]
        change.item.tender("t1", actor="staff", at=datetime.now(UTC))
    await demand.release(need.pool_id, actor="staff")  # type: ignore[arg-type]
    pool = await demand.get_pool(need.pool_id)  # type: ignore[arg-type]
    assert (pool.status, pool.tender_id) == (PoolStatus.THRESHOLD_REACHED, None)
    withdrawn = await demand.withdraw(need.need_id, actor="a")
    assert withdrawn.status.value == "withdrawn"


def _identified(member_id: str, kind: str = "procurement"):
    from cmo_contracts import new_event
    from cmo_contracts.members import NeedIdentified

    payload = NeedIdentified(
        member_id=member_id,
        assessment_id="a1",
        period="2027",
        question_id="jars",
        kind=kind,
        category="glass jars",
        quantity=2500.0,
        unit="pieces",
    )
    return new_event(payload, producer="members", subject_id=member_id, correlation_id="t")


async def test_assessed_needs_become_drafts_once_and_only_for_members_in_good_standing(
    demand: DemandService,
) -> None:
    for event in (
        _identified("a"),
        _identified("a"),
        _identified("x"),
        _identified("c", "training"),
    ):
        await demand.on_need_identified(event)
    drafts = demand.needs.all()  # type: ignore[attr-defined]
    assert [(n.member_id, n.status.value, n.quantity) for n in drafts] == [("a", "draft", D(2500))]
    confirmed = await demand.confirm(drafts[0].need_id, _terms("2500"), actor="a")
    assert confirmed.pool_id is not None
