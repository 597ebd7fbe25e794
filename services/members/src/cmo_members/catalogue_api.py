"""HTTP API of the yearly catalogue of common services."""

from datetime import datetime
from typing import Annotated

from cmo_shared.http import ERROR_RESPONSES, Page, PageSize, given
from cmo_shared.identity import CorrelationId
from cmo_shared.money import Amount
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from .catalogue import Availability, CatalogueEntry, FundingSource
from .catalogue_service import CatalogueService
from .fees import gel
from .usage_service import UsageService

router = APIRouter(prefix="/catalogue", tags=["catalogue"], responses=ERROR_RESPONSES)
Year = Annotated[int, Field(ge=2000, le=2100)]


def _service(request: Request) -> CatalogueService:
    return request.app.state.catalogue


Service = Annotated[CatalogueService, Depends(_service)]


class CatalogueEntryRead(BaseModel):
    """A common service in a year's catalogue."""

    year: int
    slug: str = Field(description="Stable id of the service.")
    title: str = Field(description="The service as the CMO lists it.")
    group: str
    served_by: str = Field(description="The platform service that delivers it.")
    availability: Availability
    funding_source: FundingSource
    budget: str | None = Field(description="Budget in GEL, exact decimal.")


class CataloguePage(BaseModel):
    """A page of catalogue entries."""

    items: list[CatalogueEntryRead]
    total: int
    page: int
    page_size: int


class CatalogueEntryUpdate(BaseModel):
    """What staff may change about a year's entry."""

    model_config = ConfigDict(extra="forbid")

    availability: Availability = None  # type: ignore[assignment]
    funding_source: FundingSource = None  # type: ignore[assignment]
    budget: Amount | None = Field(None, description="`null` clears the budget line.")


class SeedResult(BaseModel):
    """What seeding a year did."""

    year: int
    created: int = Field(description="Entries created; existing entries are left as they are.")


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
    page: Page = 1,
    page_size: PageSize = 50,
) -> CataloguePage:
    """Every common service of the year with its status and budget line."""
    filters = given(group=group, served_by=served_by, availability=availability)
    entries, total = await service.list(year, filters, skip=(page - 1) * page_size, limit=page_size)
    return CataloguePage(
        items=[_read(e) for e in entries], total=total, page=page, page_size=page_size
    )


class UsageRow(BaseModel):
    """How often a member used a common service in a year."""

    member_id: str
    slug: str = Field(description="The common service used.")
    uses: int = Field(description="Distinct uses, counted from the services' events.")
    last_used_at: datetime


class UsageReport(BaseModel):
    """Members' use of the common services in a year."""

    year: int
    items: list[UsageRow]
    total: int
    page: int
    page_size: int


def _usage(request: Request) -> UsageService:
    return request.app.state.usage


@router.get("/{year}/usage", summary="Members' use of the common services in a year")
async def usage_report(
    year: Year,
    usage: Annotated[UsageService, Depends(_usage)],
    member_id: str | None = None,
    slug: str | None = None,
    page: Page = 1,
    page_size: PageSize = 100,
) -> UsageReport:
    """Uses per member and service (by member, then service), for members and auditors."""
    rows = await usage.report(year, member_id=member_id, slug=slug)
    shown = rows[(page - 1) * page_size : page * page_size]
    return UsageReport(
        year=year,
        items=[UsageRow(**r) for r in shown],
        total=len(rows),
        page=page,
        page_size=page_size,
    )


@router.get("/{year}/services/{slug}", summary="One common service in a year's catalogue")
async def get_entry(year: Year, slug: str, service: Service) -> CatalogueEntryRead:
    """Status and budget line of one service."""
    return _read(await service.get(year, slug))


@router.patch("/{year}/services/{slug}", summary="Change a service's status or budget line")
async def update_entry(
    year: Year,
    slug: str,
    body: CatalogueEntryUpdate,
    service: Service,
    correlation_id: CorrelationId,
) -> CatalogueEntryRead:
    """Offer or withdraw a service for the year, or set its budget; emits an event."""
    changes = body.model_dump(exclude_unset=True)
    return _read(await service.update(year, slug, changes, correlation_id=correlation_id))


@router.post("/{year}", summary="Create a year's catalogue from the CMO's list")
async def seed_year(year: Year, service: Service, correlation_id: CorrelationId) -> SeedResult:
    """Idempotent: entries that exist keep their status and budget."""
    return SeedResult(year=year, created=await service.seed(year, correlation_id=correlation_id))
