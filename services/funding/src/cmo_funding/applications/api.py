"""HTTP API of members' applications to funding calls, their summary and the deadline job."""

from dataclasses import asdict
from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, IsoDate, PageNumber, PageSize
from cmo_shared.identity import Actor
from cmo_shared.schedule import today_in_tbilisi
from fastapi import APIRouter, Query, status

from .domain import Application, ApplicationStatus
from .schemas import (
    ApplicationMove,
    ApplicationPage,
    ApplicationRead,
    CallSummary,
    DeadlineReportRead,
    InterestWrite,
)
from .service import ApplicationService

router = APIRouter(tags=["funding"], responses=ERROR_RESPONSES)
Service = Annotated[ApplicationService, provided(ApplicationService)]


def _read(application: Application) -> ApplicationRead:
    return ApplicationRead(application_id=application.application_id, **asdict(application))


@router.get("/calls/{call_id}/summary", summary="How a call went")
async def call_summary(call_id: str, service: Service) -> CallSummary:
    """Matched, interested, submitted, awarded and the total awarded to members."""
    return CallSummary(**await service.summary(call_id))


@router.post(
    "/calls/{call_id}/interest",
    status_code=status.HTTP_201_CREATED,
    summary="Express interest in a matched call",
)
async def express_interest(
    call_id: str, body: InterestWrite, service: Service, actor: Actor
) -> ApplicationRead:
    """Start following the member's application; emits `funding.interest_expressed`."""
    return _read(await service.express_interest(call_id, body.member_id, actor=actor))


@router.get("/applications", summary="List applications")
async def list_applications(
    service: Service,
    call_id: str | None = None,
    member_id: str | None = None,
    application_status: Annotated[ApplicationStatus | None, Query(alias="status")] = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> ApplicationPage:
    """Applications, oldest first, by call, member and status."""
    items, total = await service.search(
        call_id=call_id,
        member_id=member_id,
        status=application_status,
        page=page,
        page_size=page_size,
    )
    return ApplicationPage.of([_read(a) for a in items], total, page, page_size)


@router.get("/applications/{application_id}", summary="Get an application")
async def get_application(application_id: str, service: Service) -> ApplicationRead:
    """One application with its history."""
    return _read(await service.get(application_id))


@router.post("/applications/{application_id}/status", summary="Move an application")
async def move_application(
    application_id: str, body: ApplicationMove, service: Service, actor: Actor
) -> ApplicationRead:
    """`interested -> preparing -> submitted -> awarded | rejected`; 409 otherwise."""
    application = await service.move(
        application_id,
        body.status,
        note=body.note,
        documents=body.documents,
        amount_awarded=getattr(body, "amount_awarded", None),
        actor=actor,
    )
    return _read(application)


@router.post("/deadlines/run", summary="Run the deadline job now")
async def run_deadlines(
    service: Service,
    as_of: Annotated[IsoDate | None, Query(description="Date to run as (Tbilisi); today.")] = None,
) -> DeadlineReportRead:
    """Close calls past their date and remind applicants a week before; also runs on schedule."""
    day = as_of or today_in_tbilisi()
    return DeadlineReportRead(as_of=day, **asdict(await service.run_deadlines(day)))
