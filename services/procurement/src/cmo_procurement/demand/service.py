"""Demand use cases: needs stated, drafts confirmed, pools filled, thresholds announced."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from cmo_contracts import Envelope
from cmo_shared.schedule import today_in_tbilisi
from cmo_shared.store import Duplicate

from ..categories.domain import Category
from ..categories.service import CategoryService
from ..standing.domain import in_good_standing
from ..standing.service import Standing
from .domain import (
    OPEN_POOL,
    Fill,
    Need,
    NeedStateConflict,
    NeedStatus,
    NeedTerms,
    Pool,
    PoolStatus,
    draft_from_assessment,
    fill_of,
)
from .repository import NeedRepository, PoolRepository


@dataclass
class DemandService:
    """Members' needs and the pools they collect in."""

    needs: NeedRepository
    pools: PoolRepository
    categories: CategoryService
    standing: Standing

    async def state(self, member_id: str, terms: NeedTerms, *, actor: str) -> Need:
        """A member states a need; it joins the open pool of its category and unit."""
        await self.standing.admit(member_id)
        now = datetime.now(UTC)
        need = Need(str(uuid.uuid4()), member_id, NeedStatus.DRAFT, now)
        return await self._confirm_into_pool(need, terms, actor=actor, new=True)

    async def confirm(self, need_id: str, terms: NeedTerms, *, actor: str) -> Need:
        """A member confirms a draft (from its needs assessment) with the terms it lacked."""
        need = await self.needs.get(need_id)
        await self.standing.admit(need.member_id)
        if need.status is not NeedStatus.DRAFT:
            raise NeedStateConflict(f"the need is {need.status}, not a draft", field="need_id")
        return await self._confirm_into_pool(need, terms, actor=actor, new=False)

    async def _confirm_into_pool(
        self, need: Need, terms: NeedTerms, *, actor: str, new: bool
    ) -> Need:
        terms.check(today_in_tbilisi())
        category = await self.categories.for_need(terms.category, terms.unit)
        pool_id = await self._open_pool(category.code, terms.unit, category)
        # The need joins under its pool's lock, so a tender opened meanwhile either holds it
        # or sees the pool tendered first (then the need goes to the next open pool).
        async with self.pools.changing(pool_id) as pool_change:
            now = datetime.now(UTC)
            if pool_change.item.status not in OPEN_POOL:
                raise NeedStateConflict(
                    "the pool was tendered meanwhile; state the need again", field="category"
                )
            if new:
                event = need.confirm(terms, pool_id, actor=actor, at=now)
                await self.needs.add(need, [event])
            else:
                async with self.needs.changing(need.need_id) as change:
                    change.record(change.item.confirm(terms, pool_id, actor=actor, at=now))
                need = change.item
            pool_change.record(pool_change.item.refill(await self._fill(pool_id), at=now))
        return need

    async def _open_pool(self, category: str, unit: str, defaults: Category) -> str:
        """The open pool of a category and unit, made if there is none (one, however raced)."""
        found = await self.pools.open_for(category, unit)
        if found is not None:
            return found.pool_id
        pool = Pool(
            str(uuid.uuid4()),
            category,
            unit,
            datetime.now(UTC),
            threshold_quantity=defaults.threshold_quantity,
            threshold_members=defaults.threshold_members,
        )
        try:
            await self.pools.add(pool, [])
        except Duplicate:
            found = await self.pools.open_for(category, unit)
            assert found is not None, "a duplicate open key means an open pool"
            return found.pool_id
        return pool.pool_id

    async def _fill(self, pool_id: str) -> Fill:
        """The pool's totals over its needs whose members are in good standing."""
        return fill_of(await self.pool_needs(pool_id))

    async def withdraw(self, need_id: str, *, actor: str) -> Need:
        """A need leaves its pool before the pool is tendered."""
        need = await self.needs.get(need_id)
        if need.pool_id is None:
            raise NeedStateConflict(f"the need is {need.status}", field="need_id")
        async with self.pools.changing(need.pool_id) as pool_change:
            now = datetime.now(UTC)
            async with self.needs.changing(need_id) as change:
                change.record(change.item.withdraw(pool_change.item, actor=actor, at=now))
            pool_change.record(pool_change.item.refill(await self._fill(need.pool_id), at=now))
        return change.item

    async def on_need_identified(self, event: Envelope[Any]) -> None:
        """A needs-assessment answer of a procurement kind becomes a draft (once)."""
        draft = draft_from_assessment(event.payload, at=event.occurred_at)
        if draft is None or not await self.standing.may_use(draft.member_id):
            return
        try:
            await self.needs.add(draft, [])
        except Duplicate:
            return  # the same answer again

    async def set_threshold(
        self, pool_id: str, quantity: Decimal | None, members: int | None, *, actor: str
    ) -> Pool:
        """Staff set a pool's threshold; it may be met at once."""
        async with self.pools.changing(pool_id) as change:
            now = datetime.now(UTC)
            change.item.refill(await self._fill(pool_id), at=now)
            change.record(change.item.set_threshold(quantity, members, actor=actor, at=now))
        return change.item

    async def release(self, pool_id: str, *, actor: str) -> None:
        """A tender of the pool was cancelled: the pool collects again.

        If a newer pool opened for the same category and unit meanwhile, the needs move there
        and the old pool ends, so that one pool collects each category and unit.
        """
        now = datetime.now(UTC)
        pool = await self.pools.get(pool_id)
        newer = await self.pools.open_for(pool.category, pool.unit)
        if newer is None:
            async with self.pools.changing(pool_id) as change:
                change.item.release(actor=actor, at=now)
                change.record(change.item.refill(await self._fill(pool_id), at=now))
            return
        async with self.pools.changing(newer.pool_id) as target:
            for need in await self.needs.of_pool(pool_id):
                async with self.needs.changing(need.need_id) as moved:
                    moved.record(moved.item.move_to(newer.pool_id, actor=actor, at=now))
            target.record(target.item.refill(await self._fill(newer.pool_id), at=now))
        async with self.pools.changing(pool_id) as old:
            old.record(old.item.merge_into(newer.pool_id, actor=actor, at=now))

    async def cancel_pool(self, pool_id: str, reason: str, *, actor: str) -> Pool:
        """Staff give a pool up while it is open."""
        async with self.pools.changing(pool_id) as change:
            change.record(change.item.cancel(reason, actor=actor, at=datetime.now(UTC)))
        return change.item

    async def get_need(self, need_id: str) -> Need:
        """One need, or `NotFound`."""
        return await self.needs.get(need_id)

    async def get_pool(self, pool_id: str) -> Pool:
        """One pool, or `NotFound`."""
        return await self.pools.get(pool_id)

    async def search_needs(self, **filters: Any) -> tuple[list[Need], int]:
        """Needs matching the filters, newest first."""
        return await self.needs.search(**filters)

    async def search_pools(
        self, *, status: PoolStatus | None, category: str | None, page: int, page_size: int
    ) -> tuple[list[Pool], int]:
        """Pools matching the filters, newest first."""
        return await self.pools.search(
            status=status, category=category, page=page, page_size=page_size
        )

    async def pool_needs(self, pool_id: str) -> list[Need]:
        """A pool's confirmed needs whose members are in good standing (for a tender's lots)."""
        needs = await self.needs.of_pool(pool_id)
        members = await self.standing.members.many([n.member_id for n in needs])
        return [n for n in needs if in_good_standing(members.get(n.member_id))]
