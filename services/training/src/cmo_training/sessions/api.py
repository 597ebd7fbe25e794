"""HTTP API of sessions."""

import uuid
from typing import Annotated

from cmo_shared.errors import Invalid
from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from fastapi import APIRouter, status

from .domain import SessionStatus, Sitting
from .schemas import SessionPage, SessionRead, SessionWrite, SittingWrite
from .service import SessionService

router = APIRouter(tags=["training"], responses=ERROR_RESPONSES)
Service = Annotated[SessionService, provided(SessionService)]


def sittings(items: list[SittingWrite]) -> list[Sitting]:
    """Sittings with ids, in time order."""
    ordered = sorted(items, key=lambda s: s.starts_at)
    return [Sitting(str(uuid.uuid4()), s.starts_at, s.ends_at) for s in ordered]


@router.post("/sessions", status_code=status.HTTP_201_CREATED, summary="Schedule a session")
async def schedule(body: SessionWrite, service: Service) -> SessionRead:
    """Members with a matching need are invited first; emits `training.scheduled`."""
    if not (body.topic or body.plan_item_id):
        raise Invalid("a session answers a topic or a plan item", field="topic")
    fields = body.model_dump(
        mode="json", exclude={"sittings", "priority_hours", "title"}, exclude_none=True
    )
    fields.update(
        title=body.title.model_dump(),
        format=body.format,
        price=body.price,
        cofinancing_share=body.cofinancing_share,
    )
    session = await service.schedule(fields, sittings(body.sittings), body.priority_hours)
    return SessionRead.model_validate(session)


@router.get("/sessions", summary="List sessions")
async def search(
    service: Service,
    status: SessionStatus | None = None,
    topic: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> SessionPage:
    """Sessions in the order they were scheduled."""
    items, total = await service.search(status=status, topic=topic, page=page, page_size=page_size)
    return SessionPage.of([SessionRead.model_validate(s) for s in items], total, page, page_size)


@router.get("/sessions/{session_id}", summary="Get a session")
async def get(session_id: str, service: Service) -> SessionRead:
    """One session."""
    return SessionRead.model_validate(await service.get(session_id))


@router.post("/sessions/{session_id}/open", summary="Open registration to every member")
async def open_now(session_id: str, service: Service) -> SessionRead:
    """End the priority window now; emits `training.registration_opened`."""
    return SessionRead.model_validate(await service.open(session_id))
