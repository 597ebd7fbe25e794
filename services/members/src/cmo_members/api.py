"""HTTP API of the members service."""

from dataclasses import asdict
from typing import Annotated

from cmo_shared.http import ERROR_RESPONSES
from cmo_shared.identity import Actor, CorrelationId
from fastapi import APIRouter, Depends, Query, Request, status

from .domain import Member, MemberStatus
from .handlers import MembersService
from .schemas import MemberCreate, MemberPage, MemberRead, NaceCode, TransitionRequest

router = APIRouter(prefix="/members", tags=["members"], responses=ERROR_RESPONSES)


def _service(request: Request) -> MembersService:
    return request.app.state.members


Service = Annotated[MembersService, Depends(_service)]


def _read(member: Member) -> MemberRead:
    return MemberRead.model_validate(asdict(member))


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register an applicant company")
async def register_member(
    body: MemberCreate, service: Service, actor: Actor, correlation_id: CorrelationId
) -> MemberRead:
    """Register a company applying for membership; emits `member.applied`."""
    return _read(await service.register(body, actor=actor, correlation_id=correlation_id))


@router.get("", summary="List members")
async def list_members(
    service: Service,
    member_status: Annotated[MemberStatus | None, Query(alias="status")] = None,
    sector: Annotated[NaceCode | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> MemberPage:
    """Members, oldest first, filtered by status and sector."""
    members, total = await service.list(
        status=member_status, sector=sector, page=page, page_size=page_size
    )
    return MemberPage(
        items=[_read(m) for m in members], total=total, page=page, page_size=page_size
    )


@router.get("/{member_id}", summary="Get a member")
async def get_member(member_id: str, service: Service) -> MemberRead:
    """One member with contacts and lifecycle history."""
    return _read(await service.get(member_id))


@router.post("/{member_id}/approve", summary="Approve an applicant")
async def approve_member(
    member_id: str,
    service: Service,
    actor: Actor,
    correlation_id: CorrelationId,
    body: TransitionRequest | None = None,
) -> MemberRead:
    """Make an applicant an active member; emits `member.joined`. 409 from any other status."""
    reason = body.reason if body else None
    member = await service.approve(
        member_id, actor=actor, reason=reason, correlation_id=correlation_id
    )
    return _read(member)
