"""HTTP API of the annual training needs assessment."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES
from fastapi import APIRouter, Path

from .schemas import RankedTopicRead
from .service import NeedService

router = APIRouter(tags=["training"], responses=ERROR_RESPONSES)
Service = Annotated[NeedService, provided(NeedService)]


@router.get("/training-needs/{year}", summary="The year's training needs, ranked")
async def ranked(
    service: Service, year: Annotated[int, Path(ge=2000, le=2100)]
) -> list[RankedTopicRead]:
    """Topics most needed first (companies, then people), compared with the year before."""
    return [RankedTopicRead.model_validate(t) for t in await service.ranked(year)]
