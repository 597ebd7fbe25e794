"""Savings use cases: allocations derived from each award, and the savings report."""

from dataclasses import dataclass
from typing import Any

from cmo_contracts import Envelope, derived_event_id
from cmo_shared.schedule import TBILISI, today_in_tbilisi
from cmo_shared.store import DerivedEvents

from ..tenders.domain import LotLine, best_unit_prices
from ..tenders.repository import LotLineRepository, TenderRepository
from .domain import Allocation, ReportRow, lot_allocations, report
from .repository import AllocationRepository


@dataclass
class SavingsService:
    """Each member's allocation and saving in every awarded lot, once."""

    allocations: AllocationRepository
    tenders: TenderRepository
    lines: LotLineRepository
    derived: DerivedEvents

    async def on_awarded(self, event: Envelope[Any]) -> None:
        """Allocate every awarded lot among its members and announce each one's saving.

        The events are published first (awaiting the broker) under ids derived from (tender,
        lot, member): a crash in between derives and announces the same ids again, which
        consumers skip, so nothing is lost or applied twice.
        """
        tender = await self.tenders.get(event.payload.tender_id)
        if tender.awarded_at is None:
            return
        year = tender.awarded_at.astimezone(TBILISI).year
        planned = best_unit_prices(tender, today_in_tbilisi())
        done = await self.allocations.ids_of(tender.tender_id)
        by_lot: dict[str, list[LotLine]] = {lot.lot_id: [] for lot in tender.lots}
        for line in await self.lines.of_tender(tender.tender_id):
            by_lot[line.lot_id].append(line)
        allocations: list[Allocation] = []
        for lot in tender.lots:
            found = lot_allocations(
                tender, lot, by_lot[lot.lot_id], year=year, planned_price=planned[lot.lot_id]
            )
            allocations += [a for a in found if a.allocation_id not in done]
        if not allocations:
            return  # the award was delivered again: every member was told already
        events = [
            self.derived.event(
                a.realized(),
                subject_id=a.member_id,
                event_id=derived_event_id("savings.realized", a.tender_id, a.lot_id, a.member_id),
            )
            for a in allocations
        ]
        await self.derived.announce(events)
        await self.allocations.add_new(allocations)

    async def search(self, **filters: Any) -> tuple[list[Allocation], int]:
        """Allocations, newest first."""
        return await self.allocations.search(**filters)

    async def report(
        self, *, year: int | None, member_id: str | None, group_by: str
    ) -> list[ReportRow]:
        """Savings planned and realised, grouped."""
        found, _ = await self.allocations.search(year=year, member_id=member_id)
        return report(found, group_by)
