"""HTTP API of project ideas."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, status

from .domain import IdeaStatus
from .schemas import BackingWrite, IdeaPage, IdeaRead, IdeaWrite, PromoteWrite
from .service import IdeaService

router = APIRouter(tags=["advocacy"], responses=ERROR_RESPONSES)
Service = Annotated[IdeaService, provided(IdeaService)]


@router.post("/ideas", status_code=status.HTTP_201_CREATED, summary="Propose a project idea")
async def propose(body: IdeaWrite, service: Service, actor: Actor) -> IdeaRead:
    """An idea for an innovative project, open for members to back."""
    return IdeaRead.model_validate(await service.propose(body.model_dump(), actor=actor))


@router.get("/ideas", summary="List project ideas")
async def search(
    service: Service,
    status: IdeaStatus | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> IdeaPage:
    """Ideas, newest first."""
    items, total = await service.search(status=status, page=page, page_size=page_size)
    return IdeaPage.of([IdeaRead.model_validate(i) for i in items], total, page, page_size)


@router.get("/ideas/{idea_id}", summary="Get a project idea")
async def get(idea_id: str, service: Service) -> IdeaRead:
    """One idea and its backers."""
    return IdeaRead.model_validate(await service.get(idea_id))


@router.post("/ideas/{idea_id}/backers", summary="Back an idea for a member company")
async def back(idea_id: str, body: BackingWrite, service: Service) -> IdeaRead:
    """One interest per company (members in good standing); given again, it counts once."""
    return IdeaRead.model_validate(await service.back(idea_id, body.member_id, body.note))


@router.delete("/ideas/{idea_id}/backers/{member_id}", summary="Withdraw a company's backing")
async def withdraw(idea_id: str, member_id: str, service: Service) -> IdeaRead:
    """The company no longer backs the idea."""
    return IdeaRead.model_validate(await service.withdraw(idea_id, member_id))


@router.post("/ideas/{idea_id}/promote", summary="Promote an idea")
async def promote(idea_id: str, body: PromoteWrite, service: Service) -> IdeaRead:
    """Turn it into a collaboration post or a funding search; emits `idea.promoted`."""
    return IdeaRead.model_validate(await service.promote(idea_id, body.to))


@router.post("/ideas/{idea_id}/drop", summary="Drop an idea")
async def drop(idea_id: str, service: Service) -> IdeaRead:
    """Stop pursuing it."""
    return IdeaRead.model_validate(await service.drop(idea_id))
