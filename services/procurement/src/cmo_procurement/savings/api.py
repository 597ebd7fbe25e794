"""HTTP API of allocations and the savings report (JSON and CSV)."""

import csv
import io
from dataclasses import asdict
from decimal import Decimal
from typing import Annotated, Literal

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from fastapi import APIRouter, Query
from fastapi.responses import Response

from .domain import ReportRow
from .schemas import AllocationPage, AllocationRead, ReportRowRead, SavingsReport
from .service import SavingsService

router = APIRouter(tags=["procurement"], responses=ERROR_RESPONSES)
Service = Annotated[SavingsService, provided(SavingsService)]
Grouping = Literal["member", "category", "supplier", "year"]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="Year of the award.")]


@router.get("/allocations", summary="Members' allocations and savings")
async def list_allocations(
    service: Service,
    member_id: str | None = None,
    tender_id: str | None = None,
    year: Year = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> AllocationPage:
    """Allocations, newest first; a member user sees its own company's only."""
    items, total = await service.search(
        member_id=member_id, tender_id=tender_id, year=year, page=page, page_size=page_size
    )
    return AllocationPage.of([AllocationRead(**asdict(a)) for a in items], total, page, page_size)


def _report(rows: list[ReportRow], year: int | None, group_by: str) -> SavingsReport:
    return SavingsReport(
        year=year,
        group_by=group_by,
        rows=[ReportRowRead(**asdict(r)) for r in rows],
        total_planned_savings=sum((r.planned_savings for r in rows), Decimal(0)),
        total_savings=sum((r.savings for r in rows), Decimal(0)),
    )


@router.get("/savings/report", summary="Savings report")
async def savings_report(
    service: Service,
    year: Year = None,
    member_id: str | None = None,
    group_by: Grouping = "member",
) -> SavingsReport:
    """Savings planned and realised per member, category, supplier or year, with the total."""
    rows = await service.report(year=year, member_id=member_id, group_by=group_by)
    return _report(rows, year, group_by)


@router.get(
    "/savings/report.csv",
    summary="Savings report as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def savings_report_csv(
    service: Service,
    year: Year = None,
    member_id: str | None = None,
    group_by: Grouping = "member",
) -> Response:
    """The same report, one row per group, for spreadsheets."""
    rows = await service.report(year=year, member_id=member_id, group_by=group_by)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([group_by, "allocations", "quantity", "planned_savings_gel", "savings_gel"])
    for row in rows:
        writer.writerow([row.key, row.allocations, row.quantity, row.planned_savings, row.savings])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")
