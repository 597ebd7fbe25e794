"""HTTP API of joint tenders: lots, sealed offers, comparison, award and open data."""

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, Query, status

from .domain import AwardChoice, LotOffer, Offer, Tender, TenderStatus, Tier
from .schemas import (
    AwardRead,
    AwardWrite,
    CancelWrite,
    CellRead,
    ComparisonLotRead,
    ComparisonRead,
    DeadlineReportRead,
    LotOfferRead,
    LotRead,
    OfferRead,
    OfferWrite,
    OpenWrite,
    TenderPage,
    TenderRead,
    TenderWrite,
    TierRead,
)
from .service import TenderService

router = APIRouter(tags=["procurement"], responses=ERROR_RESPONSES)
Service = Annotated[TenderService, provided(TenderService)]


def tender_read(tender: Tender) -> TenderRead:
    """A tender as the API shows it: lots in totals, offers counted."""
    return TenderRead(
        tender_id=tender.tender_id,
        title=tender.title,
        description=tender.description,
        status=tender.status,
        pool_ids=tender.pool_ids,
        deadline=tender.deadline,
        lots=[
            LotRead(
                lot_id=lot.lot_id,
                title=lot.title,
                category=lot.category,
                unit=lot.unit,
                region=lot.region,
                pool_id=lot.pool_id,
                quantity=lot.quantity,
                min_total=lot.min_total,
                max_total=lot.max_total,
                members=lot.members,
            )
            for lot in tender.lots
        ],
        offers_received=len(tender.offers),
        sealed=tender.sealed,
        awards=[AwardRead(**asdict(a)) for a in tender.awards],
        allocation_method=tender.allocation_method,
        awarded_at=tender.awarded_at,
        created_at=tender.created_at,
    )


def offer_read(offer: Offer, sealed: bool) -> OfferRead:
    """An offer, its prices left out while the tender is sealed."""
    return OfferRead(
        offer_id=offer.offer_id,
        supplier_id=offer.supplier_id,
        supplier_name=offer.supplier_name,
        received_at=offer.received_at,
        revision=offer.revision,
        valid_until=offer.valid_until,
        sealed=sealed,
        lots=[
            LotOfferRead(
                lot_id=lo.lot_id,
                tiers=None if sealed else [TierRead(**asdict(t)) for t in lo.tiers],
                lead_time_days=None if sealed else lo.lead_time_days,
                min_order_quantity=None if sealed else lo.min_order_quantity,
            )
            for lo in offer.lots
        ],
    )


@router.post("/tenders", status_code=status.HTTP_201_CREATED, summary="Draft a joint tender")
async def create_tender(body: TenderWrite, service: Service, actor: Actor) -> TenderRead:
    """Lots from pools that reached their threshold; the pools become `tendered`."""
    tender = await service.create(
        body.title, body.description, body.pool_ids, by_region=body.lots_by_region, actor=actor
    )
    return tender_read(tender)


@router.get("/tenders", summary="List tenders")
async def list_tenders(
    service: Service,
    tender_status: Annotated[TenderStatus | None, Query(alias="status")] = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> TenderPage:
    """Tenders, newest first."""
    items, total = await service.search(status=tender_status, page=page, page_size=page_size)
    return TenderPage.of([tender_read(t) for t in items], total, page, page_size)


@router.get("/tenders/{tender_id}", summary="Get a tender")
async def get_tender(tender_id: str, service: Service) -> TenderRead:
    """One tender: lots in totals, the award once made."""
    return tender_read(await service.get(tender_id))


@router.post("/tenders/{tender_id}/open", summary="Open a tender for offers")
async def open_tender(
    tender_id: str, body: OpenWrite, service: Service, actor: Actor
) -> TenderRead:
    """Offers are taken until the deadline; emits `tender.opened`."""
    return tender_read(await service.open(tender_id, body.deadline, actor=actor))


@router.post(
    "/tenders/{tender_id}/offers",
    status_code=status.HTTP_201_CREATED,
    summary="Record a supplier's sealed offer",
)
async def submit_offer(tender_id: str, body: OfferWrite, service: Service) -> OfferRead:
    """Tiered prices per lot, hidden from everyone until the deadline.

    A supplier's new offer replaces its earlier one. Emits `tender.offer_received`.
    """
    lots = [
        LotOffer(
            lo.lot_id,
            [Tier(t.min_quantity, t.unit_price) for t in lo.tiers],
            lo.lead_time_days,
            lo.min_order_quantity,
        )
        for lo in body.lots
    ]
    offer = await service.submit_offer(tender_id, body.supplier_id, lots, body.valid_until)
    return offer_read(offer, sealed=True)


@router.get("/tenders/{tender_id}/offers", summary="The offers of a tender")
async def list_offers(tender_id: str, service: Service) -> list[OfferRead]:
    """Who offered when; prices only once the deadline passed and evaluation started."""
    tender = await service.get(tender_id)
    return [offer_read(o, tender.sealed) for o in tender.offers]


@router.post("/tenders/{tender_id}/evaluate", summary="Unseal the offers after the deadline")
async def evaluate_tender(tender_id: str, service: Service, actor: Actor) -> TenderRead:
    """409 before the deadline; emits `tender.evaluation_started`."""
    return tender_read(await service.evaluate(tender_id, actor=actor))


@router.get("/tenders/{tender_id}/comparison", summary="Compare the offers")
async def compare_offers(tender_id: str, service: Service) -> ComparisonRead:
    """Suppliers x lots at the pooled volumes: tier reached, totals, best marked."""
    tender, cells = await service.comparison(tender_id)
    return ComparisonRead(
        tender_id=tender_id,
        lots=[
            ComparisonLotRead(
                lot_id=lot.lot_id,
                title=lot.title,
                unit=lot.unit,
                quantity=lot.quantity,
                offers=[
                    CellRead(
                        **{k: v for k, v in asdict(c).items() if k not in ("lot_id", "quantity")}
                    )
                    for c in cells
                    if c.lot_id == lot.lot_id
                ],
            )
            for lot in tender.lots
        ],
    )


@router.post("/tenders/{tender_id}/award", summary="Award the lots")
async def award_tender(
    tender_id: str, body: AwardWrite, service: Service, actor: Actor
) -> TenderRead:
    """Lots awarded (split across suppliers if chosen), each with a reason.

    Emits `tender.awarded`, then one `savings.realized` per member and lot.
    """
    choices = [AwardChoice(a.lot_id, a.supplier_id, a.quantity, a.reason) for a in body.awards]
    tender = await service.award(tender_id, choices, body.allocation_method, actor=actor)
    return tender_read(tender)


@router.post("/tenders/{tender_id}/close", summary="Close an awarded tender")
async def close_tender(tender_id: str, service: Service, actor: Actor) -> TenderRead:
    """Emits `tender.closed`."""
    return tender_read(await service.close(tender_id, actor=actor))


@router.post("/tenders/{tender_id}/cancel", summary="Cancel a tender before its award")
async def cancel_tender(
    tender_id: str, body: CancelWrite, service: Service, actor: Actor
) -> TenderRead:
    """Its pools collect again; emits `tender.cancelled`."""
    return tender_read(await service.cancel(tender_id, body.reason, actor=actor))


@router.get("/tenders/{tender_id}/ocds", summary="The tender as OCDS open data")
async def tender_ocds(tender_id: str, service: Service) -> dict[str, Any]:
    """An OCDS 1.1 release package (lots and bids extensions), once awarded."""
    return await service.ocds(tender_id)


@router.post("/tender-deadlines/run", summary="Run the tender deadline job now")
async def run_tender_deadlines(service: Service) -> DeadlineReportRead:
    """Open tenders past their deadline go to evaluation; also runs on schedule."""
    return DeadlineReportRead(evaluations_started=await service.run_deadlines(datetime.now(UTC)))
