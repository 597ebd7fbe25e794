"""HTTP API of the trend radar and its bulletins."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, status

from .schemas import BulletinPage, BulletinRead, BulletinWrite, EntryRead, EntryWrite, MoveWrite
from .service import TrendService

router = APIRouter(tags=["advocacy"], responses=ERROR_RESPONSES)
Service = Annotated[TrendService, provided(TrendService)]


@router.post("/radar", status_code=status.HTTP_201_CREATED, summary="Put a trend on the radar")
async def add_entry(body: EntryWrite, service: Service) -> EntryRead:
    """A trend or technology, its quadrant, ring and rationale."""
    fields = body.model_dump()
    fields["quadrant"], fields["ring"] = body.quadrant, body.ring
    return EntryRead.model_validate(await service.add_entry(fields))


@router.get("/radar", summary="The trend radar")
async def radar(service: Service) -> list[EntryRead]:
    """Every entry by quadrant and ring, with its movement since the last bulletin."""
    return [EntryRead.model_validate(e) for e in await service.entries()]


@router.post("/radar/{entry_id}/ring", summary="Move a radar entry")
async def move(entry_id: str, body: MoveWrite, service: Service) -> EntryRead:
    """Put the entry in another ring, saying why."""
    return EntryRead.model_validate(
        await service.move(entry_id, body.ring, body.rationale.model_dump())
    )


@router.post("/bulletins", status_code=status.HTTP_201_CREATED, summary="Publish a trend bulletin")
async def publish(body: BulletinWrite, service: Service, actor: Actor) -> BulletinRead:
    """The radar as it stands, one per period; emits `bulletin.published`."""
    bulletin = await service.publish(body.period, body.title.model_dump(), actor=actor)
    return BulletinRead.model_validate(bulletin)


@router.get("/bulletins", summary="List bulletins")
async def search(service: Service, page: PageNumber = 1, page_size: PageSize = 20) -> BulletinPage:
    """Bulletins, newest first."""
    items, total = await service.search(page=page, page_size=page_size)
    return BulletinPage.of([BulletinRead.model_validate(b) for b in items], total, page, page_size)


@router.get("/bulletins/{bulletin_id}", summary="Get a bulletin")
async def get(bulletin_id: str, service: Service) -> BulletinRead:
    """One bulletin."""
    return BulletinRead.model_validate(await service.get(bulletin_id))
