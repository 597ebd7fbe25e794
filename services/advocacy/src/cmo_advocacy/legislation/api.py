"""HTTP API of the legislative tracker."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, Query, status

from .domain import Stage
from .schemas import (
    DiffRead,
    InitiativePage,
    InitiativeRead,
    InitiativeWrite,
    StageWrite,
    VersionRead,
    VersionText,
    VersionWrite,
)
from .service import LegislationService

router = APIRouter(tags=["advocacy"], responses=ERROR_RESPONSES)
Service = Annotated[LegislationService, provided(LegislationService)]


@router.post("/initiatives", status_code=status.HTTP_201_CREATED, summary="Track an initiative")
async def track(body: InitiativeWrite, service: Service, actor: Actor) -> InitiativeRead:
    """Start following a legislative initiative; emits `legislation.stage_changed`."""
    fields = body.model_dump(mode="json", exclude={"on", "note"})
    fields["stage"] = Stage(body.stage)
    fields["next_deadline"] = body.next_deadline
    initiative = await service.track(fields, on=body.on, note=body.note, actor=actor)
    return InitiativeRead.model_validate(initiative)


@router.get("/initiatives", summary="The legislative tracker")
async def search(
    service: Service,
    stage: Stage | None = None,
    topic_id: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> InitiativePage:
    """Initiatives, latest first, by stage or topic."""
    items, total = await service.search(
        stage=stage, topic_id=topic_id, page=page, page_size=page_size
    )
    return InitiativePage.of(
        [InitiativeRead.model_validate(i) for i in items], total, page, page_size
    )


@router.get("/initiatives/{initiative_id}", summary="Get an initiative")
async def get(initiative_id: str, service: Service) -> InitiativeRead:
    """One initiative with its history and text versions."""
    return InitiativeRead.model_validate(await service.get(initiative_id))


@router.post("/initiatives/{initiative_id}/stage", summary="Move an initiative")
async def move(
    initiative_id: str, body: StageWrite, service: Service, actor: Actor
) -> InitiativeRead:
    """Record the next stage (forward only, or rejected/withdrawn); the affected are told."""
    initiative = await service.move(
        initiative_id,
        body.stage,
        on=body.on,
        note=body.note,
        next_deadline=body.next_deadline,
        registration_number=body.registration_number,
        actor=actor,
    )
    return InitiativeRead.model_validate(initiative)


@router.post(
    "/initiatives/{initiative_id}/versions",
    status_code=status.HTTP_201_CREATED,
    summary="Add a version of the text",
)
async def add_version(initiative_id: str, body: VersionWrite, service: Service) -> VersionRead:
    """Keep the text as it stands now (e.g. after a reading)."""
    return VersionRead.model_validate(
        await service.add_version(initiative_id, body.label, body.text)
    )


@router.get("/initiatives/{initiative_id}/versions/{number}", summary="Get a text version")
async def get_version(initiative_id: str, number: int, service: Service) -> VersionText:
    """One version of the text."""
    initiative = await service.get(initiative_id)
    return VersionText.model_validate(initiative.version(number, "number"))


@router.get("/initiatives/{initiative_id}/diff", summary="Compare two versions of the text")
async def compare(
    initiative_id: str,
    service: Service,
    from_version: Annotated[int, Query(ge=1)],
    to_version: Annotated[int, Query(ge=1)],
) -> DiffRead:
    """The line diff between two versions."""
    return DiffRead.model_validate(await service.diff(initiative_id, from_version, to_version))
