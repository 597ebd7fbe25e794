"""HTTP API of funding calls."""

from typing import Annotated, Any
from uuid import uuid4

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from cmo_shared.schedule import today_in_tbilisi
from fastapi import APIRouter, Query, status

from ..matching.domain import Criteria
from .domain import CallStatus, FundingCall
from .repository import call_document
from .schemas import CallPage, CallRead, CallWrite, FunderKind, Instrument
from .service import CallService

router = APIRouter(tags=["funding"], responses=ERROR_RESPONSES)
Service = Annotated[CallService, provided(CallService)]


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


def call_read(call: FundingCall) -> CallRead:
    """What the API shows of a call."""
    document = call_document(call)
    document["criteria"] = {**document["criteria"], "conditions": call.conditions}
    return CallRead(call_id=document.pop("_id"), **document)


@router.post("/calls", status_code=status.HTTP_201_CREATED, summary="Draft a funding call")
async def create_call(body: CallWrite, service: Service, actor: Actor) -> CallRead:
    """A new call, in `draft` until published."""
    call = FundingCall(call_id=str(uuid4()), created_by=actor, **_fields(body))
    return call_read(await service.create(call))


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
    calls, total = await service.search(
        statuses=call_status,
        instrument=instrument,
        funder_kind=funder_kind,
        page=page,
        page_size=page_size,
    )
    return CallPage.of([call_read(c) for c in calls], total, page, page_size)


@router.get("/calls/{call_id}", summary="Get a funding call")
async def get_call(call_id: str, service: Service) -> CallRead:
    """One call with its criteria."""
    return call_read(await service.get(call_id))


@router.put("/calls/{call_id}", summary="Rewrite a draft call")
async def replace_call(call_id: str, body: CallWrite, service: Service) -> CallRead:
    """Replace a draft's content; a published call cannot change (409)."""
    return call_read(await service.edit(call_id, _fields(body)))


@router.post("/calls/{call_id}/publish", summary="Publish a call")
async def publish_call(call_id: str, service: Service) -> CallRead:
    """Emits `funding_call.published`; every eligible member is then matched."""
    return call_read(await service.publish(call_id, today=today_in_tbilisi()))


@router.post("/calls/{call_id}/close", summary="Close a call early")
async def close_call(call_id: str, service: Service, actor: Actor) -> CallRead:
    """Emits `funding_call.closed`; no more matches or interest."""
    return call_read(await service.close(call_id, actor=actor))
