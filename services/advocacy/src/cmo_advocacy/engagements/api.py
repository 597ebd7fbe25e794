"""HTTP API of the engagement log."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, status

from .domain import TargetKind
from .schemas import EngagementPage, EngagementRead, EngagementWrite
from .service import EngagementService

router = APIRouter(tags=["advocacy"], responses=ERROR_RESPONSES)
Service = Annotated[EngagementService, provided(EngagementService)]


@router.post("/engagements", status_code=status.HTTP_201_CREATED, summary="Log an engagement")
async def log(body: EngagementWrite, service: Service, actor: Actor) -> EngagementRead:
    """A meeting, letter, hearing, working group, conference or submission.

    Emits `engagement.logged`.
    """
    fields = body.model_dump()
    fields["kind"], fields["target_kind"] = body.kind, body.target_kind
    return EngagementRead.model_validate(await service.log(fields, actor=actor))


@router.get("/engagements", summary="The engagement log")
async def search(
    service: Service,
    target_kind: TargetKind | None = None,
    initiative_id: str | None = None,
    position_id: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> EngagementPage:
    """Entries, latest first."""
    items, total = await service.search(
        target_kind=target_kind,
        initiative_id=initiative_id,
        position_id=position_id,
        page=page,
        page_size=page_size,
    )
    return EngagementPage.of(
        [EngagementRead.model_validate(e) for e in items], total, page, page_size
    )


@router.get("/engagements/{engagement_id}", summary="Get an engagement")
async def get(engagement_id: str, service: Service) -> EngagementRead:
    """One entry."""
    return EngagementRead.model_validate(await service.get(engagement_id))
