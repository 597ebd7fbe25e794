"""HTTP API of quarterly KPI surveys."""

from dataclasses import asdict
from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from fastapi import APIRouter

from .domain import KpiSurvey
from .schemas import KpiRead, KpiWrite, Quarter
from .service import KpiService

router = APIRouter(tags=["needs assessments"], responses=ERROR_RESPONSES)
Service = Annotated[KpiService, provided(KpiService)]


def _read(survey: KpiSurvey) -> KpiRead:
    return KpiRead.model_validate(asdict(survey))


@router.put("/kpi/{member_id}/{quarter}", summary="Submit a quarterly KPI survey")
async def submit_kpi(member_id: str, quarter: Quarter, body: KpiWrite, service: Service) -> KpiRead:
    """Store the quarter's KPIs (a resubmission corrects them); emits `kpi.submitted`."""
    return _read(await service.submit(member_id, quarter, **body.model_dump()))


@router.get("/kpi", summary="List KPI surveys")
async def list_kpis(
    service: Service,
    member_id: str | None = None,
    quarter: Quarter | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> list[KpiRead]:
    """KPI submissions by member and quarter, latest quarter first."""
    surveys = await service.search(
        member_id=member_id, quarter=quarter, page=page, page_size=page_size
    )
    return [_read(s) for s in surveys]
