"""HTTP API of needs and demand pools."""

from dataclasses import asdict
from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, Query, status

from .domain import Need, NeedStatus, Pool, PoolStatus
from .schemas import (
    FillRead,
    NeedPage,
    NeedRead,
    NeedTermsWrite,
    NeedWrite,
    PoolPage,
    PoolRead,
    ReasonWrite,
    ThresholdWrite,
)
from .service import DemandService

router = APIRouter(tags=["procurement"], responses=ERROR_RESPONSES)
Service = Annotated[DemandService, provided(DemandService)]


def need_read(need: Need) -> NeedRead:
    """A need as the API shows it."""
    return NeedRead(**{k: v for k, v in asdict(need).items() if k != "history"})


def pool_read(pool: Pool) -> PoolRead:
    """A pool as the API shows it, with its progress towards the threshold."""
    parts = []
    if pool.threshold_quantity is not None:
        parts.append(float(pool.fill.quantity / pool.threshold_quantity))
    if pool.threshold_members is not None:
        parts.append(pool.fill.members / pool.threshold_members)
    return PoolRead(
        **{k: v for k, v in asdict(pool).items() if k not in ("history", "fill")},
        fill=FillRead(**asdict(pool.fill)),
        progress=min(1.0, round(min(parts), 4)) if parts else None,
    )


@router.post("/needs", status_code=status.HTTP_201_CREATED, summary="State a procurement need")
async def state_need(body: NeedWrite, service: Service, actor: Actor) -> NeedRead:
    """The need joins the open pool of its category and unit; emits `procurement.need_stated`."""
    return need_read(await service.state(body.member_id, body.terms(), actor=actor))


@router.get("/needs", summary="List needs")
async def list_needs(
    service: Service,
    member_id: str | None = None,
    pool_id: str | None = None,
    need_status: Annotated[NeedStatus | None, Query(alias="status")] = None,
    category: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> NeedPage:
    """Needs, newest first; a member user sees its own company's only."""
    items, total = await service.search_needs(
        member_id=member_id,
        pool_id=pool_id,
        status=need_status,
        category=category,
        page=page,
        page_size=page_size,
    )
    return NeedPage.of([need_read(n) for n in items], total, page, page_size)


@router.get("/needs/{need_id}", summary="Get a need")
async def get_need(need_id: str, service: Service) -> NeedRead:
    """One need."""
    return need_read(await service.get_need(need_id))


@router.post("/needs/{need_id}/confirm", summary="Confirm a draft need")
async def confirm_need(
    need_id: str, body: NeedTermsWrite, service: Service, actor: Actor
) -> NeedRead:
    """A draft from the needs assessment gets its terms and joins its pool."""
    return need_read(await service.confirm(need_id, body.terms(), actor=actor))


@router.post("/needs/{need_id}/withdraw", summary="Withdraw a need")
async def withdraw_need(need_id: str, service: Service, actor: Actor) -> NeedRead:
    """The need leaves its pool; 409 once the pool is tendered."""
    return need_read(await service.withdraw(need_id, actor=actor))


@router.get("/pools", summary="List demand pools")
async def list_pools(
    service: Service,
    pool_status: Annotated[PoolStatus | None, Query(alias="status")] = None,
    category: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> PoolPage:
    """Pools with their live fill, newest first."""
    items, total = await service.search_pools(
        status=pool_status, category=category, page=page, page_size=page_size
    )
    return PoolPage.of([pool_read(p) for p in items], total, page, page_size)


@router.get("/pools/{pool_id}", summary="Get a demand pool")
async def get_pool(pool_id: str, service: Service) -> PoolRead:
    """One pool: totals only, never a member's quantities."""
    return pool_read(await service.get_pool(pool_id))


@router.put("/pools/{pool_id}/threshold", summary="Set a pool's threshold")
async def set_threshold(
    pool_id: str, body: ThresholdWrite, service: Service, actor: Actor
) -> PoolRead:
    """Total quantity and/or members; crossing it emits `procurement.pool_threshold_reached`."""
    pool = await service.set_threshold(
        pool_id, body.threshold_quantity, body.threshold_members, actor=actor
    )
    return pool_read(pool)


@router.post("/pools/{pool_id}/cancel", summary="Cancel a pool")
async def cancel_pool(pool_id: str, body: ReasonWrite, service: Service, actor: Actor) -> PoolRead:
    """Give up an open pool; emits `procurement.pool_cancelled`."""
    return pool_read(await service.cancel_pool(pool_id, body.reason, actor=actor))
