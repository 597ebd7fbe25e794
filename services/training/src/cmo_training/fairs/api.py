"""HTTP API of fair delegations."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from fastapi import APIRouter, status

from .schemas import ApplicationWrite, DelegationPage, DelegationRead, DelegationWrite, ScoreWrite
from .service import DelegationService

router = APIRouter(tags=["training"], responses=ERROR_RESPONSES)
Service = Annotated[DelegationService, provided(DelegationService)]


@router.post("/delegations", status_code=status.HTTP_201_CREATED, summary="Plan a delegation")
async def plan(body: DelegationWrite, service: Service) -> DelegationRead:
    """A delegation to a fair or exhibition that members apply to."""
    return DelegationRead.model_validate(await service.plan(body.model_dump()))


@router.get("/delegations", summary="List delegations")
async def search(
    service: Service, page: PageNumber = 1, page_size: PageSize = 20
) -> DelegationPage:
    """Delegations, newest first."""
    items, total = await service.search(page=page, page_size=page_size)
    return DelegationPage.of(
        [DelegationRead.model_validate(d) for d in items], total, page, page_size
    )


@router.get("/delegations/{delegation_id}", summary="Get a delegation")
async def get(delegation_id: str, service: Service) -> DelegationRead:
    """One delegation with its applications."""
    return DelegationRead.model_validate(await service.get(delegation_id))


@router.post("/delegations/{delegation_id}/applications", summary="Apply for a member")
async def apply(delegation_id: str, body: ApplicationWrite, service: Service) -> DelegationRead:
    """Members in good standing apply once."""
    delegation = await service.apply(delegation_id, body.member_id, body.motivation)
    return DelegationRead.model_validate(delegation)


@router.post(
    "/delegations/{delegation_id}/applications/{member_id}/score", summary="Score an application"
)
async def score(
    delegation_id: str, member_id: str, body: ScoreWrite, service: Service
) -> DelegationRead:
    """Staff's score; the highest go, an earlier application breaking a tie."""
    return DelegationRead.model_validate(await service.score(delegation_id, member_id, body.score))


@router.post("/delegations/{delegation_id}/select", summary="Select the delegation")
async def select(delegation_id: str, service: Service) -> DelegationRead:
    """Emits `delegation.member_selected` (with the share due) or `.member_not_selected`."""
    return DelegationRead.model_validate(await service.select(delegation_id))
