"""HTTP API of topics and their strategies."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, status

from .domain import TopicStatus
from .schemas import (
    ActivityStatusWrite,
    ActivityWrite,
    CloseWrite,
    PrioritiseWrite,
    TopicPage,
    TopicRead,
    TopicWrite,
)
from .service import TopicService

router = APIRouter(tags=["advocacy"], responses=ERROR_RESPONSES)
Service = Annotated[TopicService, provided(TopicService)]


@router.post("/topics", status_code=status.HTTP_201_CREATED, summary="Record a screened topic")
async def screen(body: TopicWrite, service: Service, actor: Actor) -> TopicRead:
    """A topic found by screening the industry, watched until prioritised."""
    fields = body.model_dump()
    fields["priority"] = body.priority
    return TopicRead.model_validate(await service.screen(fields, actor=actor))


@router.get("/topics", summary="List topics")
async def search(
    service: Service,
    status: TopicStatus | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> TopicPage:
    """Topics, newest first."""
    items, total = await service.search(status=status, page=page, page_size=page_size)
    return TopicPage.of([TopicRead.model_validate(t) for t in items], total, page, page_size)


@router.get("/topics/{topic_id}", summary="Get a topic")
async def get(topic_id: str, service: Service) -> TopicRead:
    """One topic with its strategy."""
    return TopicRead.model_validate(await service.get(topic_id))


@router.post("/topics/{topic_id}/prioritise", summary="Make a topic active")
async def prioritise(topic_id: str, body: PrioritiseWrite, service: Service) -> TopicRead:
    """The CMO works on it now; emits `topic.prioritised`."""
    return TopicRead.model_validate(await service.prioritise(topic_id, body.priority))


@router.post("/topics/{topic_id}/close", summary="Close a topic")
async def close(topic_id: str, body: CloseWrite, service: Service) -> TopicRead:
    """Work on it ended; emits `topic.closed`."""
    return TopicRead.model_validate(await service.close(topic_id, body.outcome))


@router.post(
    "/topics/{topic_id}/activities",
    status_code=status.HTTP_201_CREATED,
    summary="Plan an activity",
)
async def plan(topic_id: str, body: ActivityWrite, service: Service) -> TopicRead:
    """Add a step to an active topic's strategy."""
    return TopicRead.model_validate(await service.plan(topic_id, body.what, body.owner, body.due))


@router.post("/topics/{topic_id}/activities/{activity_id}/status", summary="Track an activity")
async def track(
    topic_id: str, activity_id: str, body: ActivityStatusWrite, service: Service
) -> TopicRead:
    """Record where an activity of the strategy stands."""
    return TopicRead.model_validate(await service.track(topic_id, activity_id, body.status))
