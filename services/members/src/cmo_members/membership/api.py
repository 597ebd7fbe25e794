"""HTTP API of the members service."""

from dataclasses import asdict
from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, Query, status

from .domain import Member, MemberStatus
from .schemas import (
    LifecycleCommand,
    MemberCreate,
    MemberPage,
    MemberRead,
    MemberUpdate,
    NaceCode,
    TransitionRequest,
)
from .service import MembershipService

router = APIRouter(prefix="/members", tags=["members"], responses=ERROR_RESPONSES)


Service = Annotated[MembershipService, provided(MembershipService)]


def _read(member: Member) -> MemberRead:
    return MemberRead.model_validate(asdict(member))


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register an applicant company")
async def register_member(body: MemberCreate, service: Service, actor: Actor) -> MemberRead:
    """Register a company applying for membership; emits `member.applied`."""
    return _read(await service.register(body, actor=actor))


@router.get("", summary="List members")
async def list_members(
    service: Service,
    member_status: Annotated[MemberStatus | None, Query(alias="status")] = None,
    sector: Annotated[NaceCode | None, Query()] = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Text in the legal name or tax id."),
    ] = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> MemberPage:
    """Members, oldest first, filtered by status, sector and a text they contain."""
    members, total = await service.list(
        status=member_status, sector=sector, text=q, page=page, page_size=page_size
    )
    return MemberPage.of([_read(m) for m in members], total, page, page_size)


@router.get("/{member_id}", summary="Get a member")
async def get_member(member_id: str, service: Service) -> MemberRead:
    """One member with contacts and lifecycle history."""
    return _read(await service.get(member_id))


@router.patch("/{member_id}", summary="Update a member's profile")
async def update_member(member_id: str, body: MemberUpdate, service: Service) -> MemberRead:
    """Change the given profile fields; emits `member.profile_updated` if anything changed."""
    return _read(await service.update_profile(member_id, body))


@router.post("/{member_id}/{command}", summary="Move a member through its lifecycle")
async def run_lifecycle_command(
    member_id: str,
    command: LifecycleCommand,
    service: Service,
    actor: Actor,
    body: TransitionRequest | None = None,
) -> MemberRead:
    """Approve, reject, suspend, reinstate, lapse or terminate; 409 where not allowed.

    `approve`: applicant -> active (`member.joined`); `reject`: applicant -> rejected;
    `suspend`: active|grace -> suspended; `reinstate`: grace|suspended -> active;
    `lapse`: suspended -> lapsed; `terminate`: active|grace|suspended|lapsed -> terminated.
    """
    member = await service.transition(
        member_id,
        command,
        actor=actor,
        reason=body.reason if body else None,
    )
    return _read(member)
