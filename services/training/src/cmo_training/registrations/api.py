"""HTTP API of registrations."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES
from fastapi import APIRouter, Query, Response, status

from ..sessions.api import sittings
from ..sessions.schemas import SessionRead
from .domain import RegistrationStatus
from .schemas import (
    CancelWrite,
    RegistrationRead,
    RegistrationWrite,
    RescheduleWrite,
    SessionCancelWrite,
)
from .service import RegistrationService

router = APIRouter(tags=["training"], responses=ERROR_RESPONSES)
Service = Annotated[RegistrationService, provided(RegistrationService)]


@router.post(
    "/sessions/{session_id}/registrations",
    status_code=status.HTTP_201_CREATED,
    summary="Register a company's people",
)
async def register(session_id: str, body: RegistrationWrite, service: Service) -> RegistrationRead:
    """All or none: confirmed if there are seats for everyone, else waitlisted."""
    people = service.people([p.model_dump() for p in body.people])
    registration = await service.register(session_id, body.member_id, people)
    return RegistrationRead.model_validate(registration)


@router.get("/sessions/{session_id}/registrations", summary="A session's registrations")
async def of_session(
    session_id: str,
    service: Service,
    member_id: str | None = None,
    status: Annotated[list[RegistrationStatus] | None, Query()] = None,
) -> list[RegistrationRead]:
    """First registered first; a company's own with `member_id`."""
    statuses = [s.value for s in status] if status else None
    found = await service.of_session(session_id, member_id, statuses)
    return [RegistrationRead.model_validate(r) for r in found]


@router.get("/registrations/{registration_id}", summary="Get a registration")
async def get(registration_id: str, service: Service) -> RegistrationRead:
    """One registration."""
    return RegistrationRead.model_validate(await service.get(registration_id))


@router.post("/registrations/{registration_id}/accept", summary="Take up offered seats")
async def accept(registration_id: str, service: Service) -> RegistrationRead:
    """Before the hold time ends; emits `registration.confirmed`."""
    return RegistrationRead.model_validate(await service.accept(registration_id))


@router.post("/registrations/{registration_id}/cancel", summary="Cancel or leave the waitlist")
async def cancel(registration_id: str, body: CancelWrite, service: Service) -> RegistrationRead:
    """The seats go to the first on the waitlist; emits `registration.cancelled`."""
    return RegistrationRead.model_validate(await service.cancel(registration_id, body.reason))


@router.post("/sessions/{session_id}/reschedule", summary="Move a session")
async def reschedule(session_id: str, body: RescheduleWrite, service: Service) -> SessionRead:
    """A new time or place; confirmed people get an updated calendar invitation."""
    new = sittings(body.sittings) if body.sittings else None
    url = str(body.online_url) if body.online_url else None
    session = await service.reschedule(session_id, new, body.venue, url)
    return SessionRead.model_validate(session)


@router.post("/sessions/{session_id}/cancel", summary="Call a session off")
async def cancel_session(
    session_id: str, body: SessionCancelWrite, service: Service
) -> SessionRead:
    """Every registration is cancelled; people holding seats get a calendar cancellation."""
    return SessionRead.model_validate(await service.cancel_session(session_id, body.reason))


@router.get("/calendar/{member_id}/link", summary="A company's private calendar address")
async def feed_link(member_id: str, service: Service) -> dict[str, str]:
    """The address a calendar app subscribes to: the company's people's sessions."""
    return {"url": service.feed_url(member_id)}


@router.get(
    "/calendar/{member_id}.ics",
    summary="A company's calendar feed",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
async def feed(
    member_id: str, service: Service, token: Annotated[str, Query(max_length=100)]
) -> Response:
    """Every session the company's people hold seats at (iCalendar); needs its private token."""
    return Response(await service.feed(member_id, token), media_type="text/calendar; charset=utf-8")


@router.post("/registration-offers/run", summary="Pass on expired offers now")
async def run_offers(service: Service) -> dict[str, str]:
    """What the job does every interval: expired offers go to the next in line."""
    return {"result": await service.pass_on()}
