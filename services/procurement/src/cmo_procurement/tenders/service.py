"""Tender use cases: from pools to lots, sealed offers, evaluation, award, open data."""

import contextlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from cmo_shared.schedule import today_in_tbilisi

from ..categories.service import CategoryService
from ..demand.service import DemandService
from ..suppliers.service import SupplierService
from .domain import (
    AwardChoice,
    Cell,
    Offer,
    Tender,
    TenderStateConflict,
    TenderStatus,
    comparison,
    lots_from_pools,
)
from .ocds import Publisher, release_package
from .repository import LotLineRepository, TenderRepository

DEADLINE_ACTOR = "system:deadline"


def lots_won_counter(tenders: TenderRepository) -> Callable[[str], Awaitable[int]]:
    """A function counting the lots awarded to a supplier over every tender."""

    async def lots_won(supplier_id: str) -> int:
        awarded = await tenders.awarded_to(supplier_id)
        return sum(1 for t in awarded for a in t.awards if a.supplier_id == supplier_id)

    return lots_won


@dataclass
class TenderService:
    """Joint tenders for the members whose needs their pools collected."""

    tenders: TenderRepository
    lines: LotLineRepository
    demand: DemandService
    categories: CategoryService
    suppliers: SupplierService
    publisher: Publisher

    async def create(
        self, title: str, description: str, pool_ids: list[str], *, by_region: bool, actor: str
    ) -> Tender:
        """A draft tender from pools that reached their threshold; the pools are bound to it.

        The pools are held (in id order) while their needs become the lots' lines, so no need
        joins a pool between being counted and the pool being tendered.
        """
        tender_id = str(uuid.uuid4())
        now = datetime.now(UTC)
        categories = {c.code: c for c in await self.categories.all()}
        async with contextlib.AsyncExitStack() as stack:
            sources = []
            for pool_id in sorted(set(pool_ids)):
                change = await stack.enter_async_context(
                    self.demand.pools.changing(pool_id, field="pool_ids")
                )
                change.item.tender(tender_id, actor=actor, at=now)
                needs = await self.demand.pool_needs(pool_id)
                category = categories.get(change.item.category)
                sources.append((change.item, needs, category.cpv if category else []))
            lots, lines = lots_from_pools(sources, by_region=by_region)
            tender = Tender(tender_id, title, description, sorted(set(pool_ids)), lots, now)
            tender.history.append({"status": "draft", "actor": actor, "at": now})
            await self.lines.add_new(tender_id, lines)
            await self.tenders.add(tender, [])
        return tender

    async def open(self, tender_id: str, deadline: datetime, *, actor: str) -> Tender:
        """Publish the tender; emits `tender.opened`."""
        async with self.tenders.changing(tender_id) as change:
            change.record(change.item.open(deadline, actor=actor, now=datetime.now(UTC)))
        return change.item

    async def submit_offer(
        self, tender_id: str, supplier_id: str, lots: list[Any], valid_until: date
    ) -> Offer:
        """Record a supplier's sealed offer; emits `tender.offer_received` (no prices)."""
        supplier = await self.suppliers.get(supplier_id)
        supplier.require_active()
        offer = Offer(
            str(uuid.uuid4()),
            supplier_id,
            supplier.legal_name,
            lots,
            valid_until,
            datetime.now(UTC),
        )
        async with self.tenders.changing(tender_id) as change:
            change.record(change.item.receive(offer, now=datetime.now(UTC)))
        return offer

    async def evaluate(self, tender_id: str, *, actor: str) -> Tender:
        """After the deadline, unseal the offers; emits `tender.evaluation_started`."""
        async with self.tenders.changing(tender_id) as change:
            change.record(change.item.start_evaluation(actor=actor, now=datetime.now(UTC)))
        return change.item

    async def comparison(self, tender_id: str) -> tuple[Tender, list[Cell]]:
        """The comparison matrix of an unsealed tender."""
        tender = await self.tenders.get(tender_id)
        return tender, comparison(tender, today_in_tbilisi())

    async def award(
        self, tender_id: str, choices: list[AwardChoice], method: str, *, actor: str
    ) -> Tender:
        """Award lots to suppliers; emits `tender.awarded` (allocations and savings follow)."""
        for choice in choices:
            (await self.suppliers.get(choice.supplier_id)).require_active()
        async with self.tenders.changing(tender_id) as change:
            event = change.item.award(
                choices, method, today=today_in_tbilisi(), actor=actor, now=datetime.now(UTC)
            )
            change.record(event)
        return change.item

    async def close(self, tender_id: str, *, actor: str) -> Tender:
        """Close an awarded tender; emits `tender.closed`."""
        async with self.tenders.changing(tender_id) as change:
            change.record(change.item.close(actor=actor, now=datetime.now(UTC)))
        return change.item

    async def cancel(self, tender_id: str, reason: str, *, actor: str) -> Tender:
        """Cancel before award; the pools collect again. Emits `tender.cancelled`."""
        now = datetime.now(UTC)
        async with self.tenders.changing(tender_id) as change:
            change.record(change.item.cancel(reason, actor=actor, now=now))
        for pool_id in change.item.pool_ids:
            await self.demand.release(pool_id, actor=actor)
        return change.item

    async def run_deadlines(self, now: datetime) -> int:
        """Start the evaluation of open tenders whose deadline passed; how many."""
        started = 0
        for tender in await self.tenders.with_status(TenderStatus.OPEN):
            if tender.deadline is not None and tender.deadline <= now:
                async with self.tenders.changing(tender.tender_id) as change:
                    change.record(change.item.start_evaluation(actor=DEADLINE_ACTOR, now=now))
                started += 1
        return started

    async def get(self, tender_id: str) -> Tender:
        """One tender, or `NotFound`."""
        return await self.tenders.get(tender_id)

    async def search(
        self, *, status: TenderStatus | None, page: int, page_size: int
    ) -> tuple[list[Tender], int]:
        """Tenders, newest first."""
        return await self.tenders.search(status=status, page=page, page_size=page_size)

    async def ocds(self, tender_id: str) -> dict[str, Any]:
        """The tender as an OCDS release package, once awarded."""
        tender = await self.tenders.get(tender_id)
        if tender.status not in (TenderStatus.AWARDED, TenderStatus.CLOSED):
            raise TenderStateConflict("a tender is published as open data once awarded")
        buyers: dict[str, list[str]] = {}
        for line in await self.lines.of_tender(tender_id):
            lots = buyers.setdefault(line.member_id, [])
            if line.lot_id not in lots:
                lots.append(line.lot_id)
        known = await self.demand.standing.members.many(sorted(buyers))
        names = {member_id: facts.legal_name for member_id, facts in known.items()}
        return release_package(
            tender, buyers, publisher=self.publisher, member_names=names, now=datetime.now(UTC)
        )
