"""HTTP API of the yearly catalogue of common services."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize, given
from fastapi import APIRouter

from ..fees.domain import gel
from .domain import Availability, CatalogueEntry
from .schemas import CatalogueEntryRead, CatalogueEntryUpdate, CataloguePage, SeedResult, Year
from .service import CatalogueService

router = APIRouter(prefix="/catalogue", tags=["catalogue"], responses=ERROR_RESPONSES)
Service = Annotated[CatalogueService, provided(CatalogueService)]


def _read(entry: CatalogueEntry) -> CatalogueEntryRead:
    return CatalogueEntryRead(
        year=entry.year,
        slug=entry.slug,
        title=entry.title,
        group=entry.group,
        served_by=entry.served_by,
        availability=entry.availability,
        funding_source=entry.funding_source,
        budget=None if entry.budget_tetri is None else gel(entry.budget_tetri),
    )


@router.get("/{year}", summary="A year's catalogue of common services")
async def list_catalogue(
    year: Year,
    service: Service,
    group: str | None = None,
    served_by: str | None = None,
    availability: Availability | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> CataloguePage:
    """Every common service of the year with its status and budget line."""
    filters = given(group=group, served_by=served_by, availability=availability)
    entries, total = await service.list(year, filters, page=page, page_size=page_size)
    return CataloguePage.of([_read(e) for e in entries], total, page, page_size)


@router.get("/{year}/services/{slug}", summary="One common service in a year's catalogue")
async def get_entry(year: Year, slug: str, service: Service) -> CatalogueEntryRead:
    """Status and budget line of one service."""
    return _read(await service.get(year, slug))


@router.patch("/{year}/services/{slug}", summary="Change a service's status or budget line")
async def update_entry(
    year: Year, slug: str, body: CatalogueEntryUpdate, service: Service
) -> CatalogueEntryRead:
    """Offer or withdraw a service for the year, or set its budget; emits an event."""
    return _read(await service.update(year, slug, body.model_dump(exclude_unset=True)))


@router.post("/{year}", summary="Create a year's catalogue from the CMO's list")
async def seed_year(year: Year, service: Service) -> SeedResult:
    """Idempotent: entries that exist keep their status and budget."""
    return SeedResult(year=year, created=await service.seed(year))
