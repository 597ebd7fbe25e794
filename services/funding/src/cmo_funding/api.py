"""HTTP API of the funding service."""

from dataclasses import asdict
from typing import Annotated, Any
from uuid import uuid4

from cmo_shared.http import ERROR_RESPONSES, IsoDate, PageNumber, PageSize, given
from cmo_shared.identity import Actor, CorrelationId
from cmo_shared.schedule import today_in_tbilisi
from fastapi import APIRouter, Depends, Query, Request, status

from .calls import ApplicationStatus, CallStatus, FundingCall
from .eligibility import Criteria
from .repository import call_document
from .schemas import (
    ApplicationMove,
    ApplicationPage,
    ApplicationRead,
    CallPage,
    CallRead,
    CallSummary,
    CallWrite,
    DeadlineReportRead,
    FunderKind,
    Instrument,
    InterestWrite,
    MatchPage,
    MatchRead,
)
from .service import FundingService

router = APIRouter(tags=["funding"], responses=ERROR_RESPONSES)


def _service(request: Request) -> FundingService:
    return request.app.state.funding


Service = Annotated[FundingService, Depends(_service)]


def _fields(body: CallWrite) -> dict[str, Any]:
    """The call's fields from a request body."""
    criteria = body.criteria.model_dump(exclude={"conditions"})
    conditions = body.criteria.conditions
    return {
        **body.model_dump(exclude={"criteria"}),
        "title": body.title.model_dump(),
        "description": body.description.model_dump(),
        "criteria": Criteria.from_dict(criteria),
        "conditions": conditions.model_dump() if conditions else {},
    }


def _read(call: FundingCall) -> CallRead:
    document = call_document(call)
    document["criteria"] = {**document["criteria"], "conditions": call.conditions}
    return CallRead(call_id=document.pop("_id"), **document)


def _application(document: dict[str, Any]) -> ApplicationRead:
    return ApplicationRead(application_id=document["_id"], **document)


@router.post("/calls", status_code=status.HTTP_201_CREATED, summary="Draft a funding call")
async def create_call(body: CallWrite, service: Service, actor: Actor) -> CallRead:
    """A new call, in `draft` until published."""
    call = FundingCall(call_id=str(uuid4()), created_by=actor, **_fields(body))
    return _read(await service.create(call))


@router.get("/calls", summary="List funding calls")
async def list_calls(
    service: Service,
    call_status: Annotated[
        list[CallStatus] | None,
        Query(alias="status", description="One or more statuses (repeat the parameter)."),
    ] = None,
    instrument: Instrument | None = None,
    funder_kind: FunderKind | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> CallPage:
    """Calls closing soonest first, filtered by status, instrument and funder kind."""
    statuses = sorted(set(call_status or ()))
    status_filter = (
        None if not statuses else statuses[0] if len(statuses) == 1 else {"$in": statuses}
    )
    query = given(status=status_filter, instrument=instrument, funder_kind=funder_kind)
    calls, total = await service.calls.find(query, skip=(page - 1) * page_size, limit=page_size)
    return CallPage(items=[_read(c) for c in calls], total=total, page=page, page_size=page_size)


@router.get("/calls/{call_id}", summary="Get a funding call")
async def get_call(call_id: str, service: Service) -> CallRead:
    """One call with its criteria."""
    return _read(await service.calls.get(call_id))


@router.put("/calls/{call_id}", summary="Rewrite a draft call")
async def replace_call(call_id: str, body: CallWrite, service: Service) -> CallRead:
    """Replace a draft's content; a published call cannot change (409)."""
    return _read(await service.edit(call_id, _fields(body)))


@router.post("/calls/{call_id}/publish", summary="Publish a call")
async def publish_call(call_id: str, service: Service, correlation_id: CorrelationId) -> CallRead:
    """Emits `funding_call.published`; every eligible member is then matched."""
    call = await service.publish(call_id, today=today_in_tbilisi(), correlation_id=correlation_id)
    return _read(call)


@router.post("/calls/{call_id}/close", summary="Close a call early")
async def close_call(
    call_id: str, service: Service, actor: Actor, correlation_id: CorrelationId
) -> CallRead:
    """Emits `funding_call.closed`; no more matches or interest."""
    return _read(await service.close(call_id, actor=actor, correlation_id=correlation_id))


@router.get("/calls/{call_id}/matches", summary="Members matched with a call")
async def call_matches(
    call_id: str, service: Service, page: PageNumber = 1, page_size: PageSize = 20
) -> MatchPage:
    """Every member found eligible, with the criteria that held."""
    await service.calls.get(call_id)
    items, total = await service.matches.find(
        {"call_id": call_id}, skip=(page - 1) * page_size, limit=page_size
    )
    return MatchPage(
        items=[MatchRead(**m) for m in items], total=total, page=page, page_size=page_size
    )


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
    call_id: str,
    body: InterestWrite,
    service: Service,
    actor: Actor,
    correlation_id: CorrelationId,
) -> ApplicationRead:
    """Start following the member's application; emits `funding.interest_expressed`."""
    document = await service.express_interest(
        call_id, body.member_id, actor=actor, correlation_id=correlation_id
    )
    return _application(document)


@router.get("/matches", summary="A member's matches")
async def member_matches(
    service: Service, member_id: str, page: PageNumber = 1, page_size: PageSize = 20
) -> MatchPage:
    """The calls a member was found eligible for, newest first."""
    items, total = await service.matches.find(
        {"member_id": member_id}, skip=(page - 1) * page_size, limit=page_size
    )
    return MatchPage(
        items=[MatchRead(**m) for m in items], total=total, page=page, page_size=page_size
    )


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
    query = given(call_id=call_id, member_id=member_id, status=application_status)
    items, total = await service.applications.find(
        query, skip=(page - 1) * page_size, limit=page_size
    )
    return ApplicationPage(
        items=[_application(a) for a in items], total=total, page=page, page_size=page_size
    )


@router.get("/applications/{application_id}", summary="Get an application")
async def get_application(application_id: str, service: Service) -> ApplicationRead:
    """One application with its history."""
    return _application(await service.applications.get(application_id))


@router.post("/applications/{application_id}/status", summary="Move an application")
async def move_application(
    application_id: str,
    body: ApplicationMove,
    service: Service,
    actor: Actor,
    correlation_id: CorrelationId,
) -> ApplicationRead:
    """`interested -> preparing -> submitted -> awarded | rejected`; 409 otherwise."""
    document = await service.move_application(
        application_id,
        body.status,
        note=body.note,
        documents=body.documents,
        amount_awarded=getattr(body, "amount_awarded", None),
        actor=actor,
        correlation_id=correlation_id,
    )
    return _application(document)


@router.post("/deadlines/run", summary="Run the deadline job now")
async def run_deadlines(
    service: Service,
    as_of: Annotated[IsoDate | None, Query(description="Date to run as (Tbilisi); today.")] = None,
) -> DeadlineReportRead:
    """Close calls past their date and remind applicants a week before; also runs on schedule."""
    day = as_of or today_in_tbilisi()
    return DeadlineReportRead(as_of=day, **asdict(await service.run_deadlines(day)))
