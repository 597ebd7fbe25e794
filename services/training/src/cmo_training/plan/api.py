"""HTTP API of the annual training plan."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES
from fastapi import APIRouter, Path, status

from .schemas import ItemRead, ItemWrite, PlanRead
from .service import PlanService

router = APIRouter(tags=["training"], responses=ERROR_RESPONSES)
Service = Annotated[PlanService, provided(PlanService)]
Year = Annotated[int, Path(ge=2000, le=2100)]


@router.post("/plans/{year}/items", status_code=status.HTTP_201_CREATED, summary="Add a plan item")
async def add_item(year: Year, body: ItemWrite, service: Service) -> ItemRead:
    """An item answering the year's needs in its topic (the plan is made as a draft)."""
    item = await service.add_item(
        year, body.topic, body.format, body.quarter, body.budget_line, body.provider
    )
    return ItemRead.model_validate(item)


@router.get("/plans/{year}", summary="Get a year's training plan")
async def get(year: Year, service: Service) -> PlanRead:
    """The plan and its items."""
    return PlanRead.model_validate(await service.get(year))


@router.post("/plans/{year}/publish", summary="Publish the plan")
async def publish(year: Year, service: Service) -> PlanRead:
    """Emits `training.plan_published`."""
    return PlanRead.model_validate(await service.publish(year))
