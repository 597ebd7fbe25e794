"""HTTP API of industry reports."""

from typing import Annotated, Literal

from cmo_shared.errors import NotFound
from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, Response, status
from fastapi.responses import HTMLResponse

from .disclosure import Cell
from .domain import Report, ReportStatus
from .render import to_csv, to_html
from .schemas import CellRead, PositionRead, ReportPage, ReportRead, ReportWrite, SuppressionRead
from .service import ReportService

router = APIRouter(tags=["advocacy"], responses=ERROR_RESPONSES)
Service = Annotated[ReportService, provided(ReportService)]


def _cell(cell: Cell) -> CellRead:
    hidden = cell.suppressed
    return CellRead(
        sector=cell.sector,
        size_band=cell.size_band,
        suppressed=hidden,
        companies=None if hidden else cell.companies,
        employees=None if hidden else cell.employees,
        investment=None if hidden else cell.investment,
        export_share=None if hidden else cell.export_share,
    )


def _read(report: Report) -> ReportRead:
    return ReportRead(
        report_id=report.report_id,
        period=report.period,
        title=report.title,
        status=report.status,
        companies=report.companies,
        cells=[_cell(c) for c in report.cells if c.companies],
        created_at=report.created_at,
        created_by=report.created_by,
        reviewed_by=report.reviewed_by,
        published_at=report.published_at,
        news_id=report.news_id,
    )


async def _published(service: ReportService, report_id: str) -> Report:
    report = await service.get(report_id)
    if report.status is not ReportStatus.PUBLISHED:
        raise NotFound(f"report {report_id} is not published", field="report_id")
    return report


@router.post("/reports", status_code=status.HTTP_201_CREATED, summary="Draft a report")
async def draft(body: ReportWrite, service: Service, actor: Actor) -> ReportRead:
    """Aggregate the period's KPI surveys by sector and size, with disclosure control."""
    return _read(await service.draft(body.period, body.title.model_dump(), actor=actor))


@router.get("/reports", summary="List reports")
async def search(
    service: Service,
    status: ReportStatus | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> ReportPage:
    """Reports, newest first."""
    items, total = await service.search(status=status, page=page, page_size=page_size)
    return ReportPage.of([_read(r) for r in items], total, page, page_size)


@router.get("/reports/{report_id}", summary="Get a report")
async def get(report_id: str, service: Service) -> ReportRead:
    """One report: its published cells (suppressed ones without figures)."""
    return _read(await service.get(report_id))


@router.get("/reports/{report_id}/suppressions", summary="Why cells are hidden (staff)")
async def suppressions(report_id: str, service: Service) -> list[SuppressionRead]:
    """Each suppressed cell and its reasons; never published."""
    report = await service.get(report_id)
    return [
        SuppressionRead(
            sector=c.sector, size_band=c.size_band, companies=c.companies, reasons=c.reasons
        )
        for c in report.cells
        if c.suppressed
    ]


@router.post("/reports/{report_id}/review", summary="Review a draft")
async def review(report_id: str, service: Service, actor: Actor) -> ReportRead:
    """A second person checked it."""
    return _read(await service.review(report_id, actor=actor))


@router.post("/reports/{report_id}/publish", summary="Publish a report")
async def publish(report_id: str, service: Service, actor: Actor) -> ReportRead:
    """Emits `report.published`, and news of it to every member."""
    return _read(await service.publish(report_id, actor=actor))


@router.get(
    "/reports/{report_id}/table.csv",
    summary="A published report as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def as_csv(report_id: str, service: Service) -> Response:
    """One row per cell; suppressed figures say `suppressed`."""
    report = await _published(service, report_id)
    return Response(
        to_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="report-{report.period}.csv"'},
    )


@router.get(
    "/reports/{report_id}/page",
    summary="A published report as a page",
    response_class=Response,
    responses={200: {"content": {"text/html": {}}}},
)
async def as_html(report_id: str, service: Service, lang: Literal["ka", "en"] = "ka") -> Response:
    """The table and a chart of investment by sector."""
    return HTMLResponse(to_html(await _published(service, report_id), lang))


@router.get("/reports/{report_id}/position/{member_id}", summary="A company against the report")
async def position(report_id: str, member_id: str, service: Service) -> PositionRead:
    """The company's own figures and the published cells it falls in."""
    report = await _published(service, report_id)
    found = report.position(member_id)
    if found is None:
        raise NotFound(f"member {member_id} has no survey in this report", field="member_id")
    own = found["own"]
    return PositionRead(
        member_id=member_id,
        sector=own.sector,
        size_band=own.size_band,
        employees=own.employees,
        investment=own.investment,
        export_share=own.export_share,
        cells=[_cell(c) for c in found["cells"]],
    )
