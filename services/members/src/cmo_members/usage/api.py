"""HTTP API of the usage report."""

from dataclasses import asdict
from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from fastapi import APIRouter

from ..catalogue.schemas import Year
from .domain import totals
from .schemas import UsageReport, UsageRow, UsageTotal
from .service import UsageService

router = APIRouter(prefix="/catalogue", tags=["catalogue"], responses=ERROR_RESPONSES)
Service = Annotated[UsageService, provided(UsageService)]


@router.get("/{year}/usage", summary="Members' use of the common services in a year")
async def usage_report(
    year: Year,
    usage: Service,
    member_id: str | None = None,
    slug: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 100,
) -> UsageReport:
    """Uses per member and service (by member, then service), for members and auditors."""
    rows = await usage.report(year, member_id=member_id, slug=slug)
    shown = rows[(page - 1) * page_size : page * page_size]
    return UsageReport(
        year=year,
        items=[UsageRow(**asdict(r)) for r in shown],
        totals=[UsageTotal(**asdict(t)) for t in totals(rows)],
        total=len(rows),
        page=page,
        page_size=page_size,
    )
