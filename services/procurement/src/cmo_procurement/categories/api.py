"""HTTP API of the categories."""

from dataclasses import asdict
from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES
from fastapi import APIRouter

from .domain import Category
from .schemas import CategoryRead, CategoryWrite
from .service import CategoryService

router = APIRouter(tags=["procurement"], responses=ERROR_RESPONSES)
Service = Annotated[CategoryService, provided(CategoryService)]


@router.put("/categories", summary="Create or replace a category")
async def put_category(body: CategoryWrite, service: Service) -> CategoryRead:
    """A category of the vocabulary needs and pools are filed under."""
    category = await service.put(Category(**body.model_dump()))
    return CategoryRead(**asdict(category))


@router.get("/categories", summary="The procurement categories")
async def list_categories(service: Service) -> list[CategoryRead]:
    """Every category, by code."""
    return [CategoryRead(**asdict(c)) for c in await service.all()]
