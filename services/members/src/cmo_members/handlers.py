"""Use cases of the members service: each loads, applies the domain rule, saves with events."""

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field

from cmo_shared.events import new_event
from cmo_shared.outbox import OutboxRelay

from .domain import Member, MemberStatus, apply_for_membership
from .repository import MemberRepository
from .schemas import MemberCreate

PRODUCER = "members"


@dataclass
class MembersService:
    """The members use cases, bound to their repository and outbox relay."""

    repository: MemberRepository
    relay: OutboxRelay
    # FerretDB 1.24 does not make the version-checked update atomic between concurrent
    # writers, so commands on one member are serialised inside the process as well.
    _locks: defaultdict[str, asyncio.Lock] = field(
        default_factory=lambda: defaultdict(asyncio.Lock), init=False
    )

    async def register(self, data: MemberCreate, *, actor: str, correlation_id: str) -> Member:
        """Register an applicant company; emits `member.applied`."""
        member, applied = apply_for_membership(
            legal_name=data.legal_name,
            tax_id=data.tax_id,
            sector=data.sector,
            employees=data.employees,
            region=data.region,
            contacts=[c.model_dump() for c in data.contacts],
            actor=actor,
        )
        event = new_event(
            applied, producer=PRODUCER, subject_id=member.member_id, correlation_id=correlation_id
        )
        await self.repository.add(member, [event])
        self.relay.wake()
        return member

    async def approve(
        self, member_id: str, *, actor: str, reason: str | None, correlation_id: str
    ) -> Member:
        """Make an applicant an active member; emits `member.joined`."""
        async with self._locks[member_id]:
            member = await self.repository.get(member_id)
            joined = member.approve(actor=actor, reason=reason)
            event = new_event(
                joined,
                producer=PRODUCER,
                subject_id=member.member_id,
                correlation_id=correlation_id,
            )
            await self.repository.save(member, [event])
        self.relay.wake()
        return member

    async def get(self, member_id: str) -> Member:
        """One member by id."""
        return await self.repository.get(member_id)

    async def list(
        self, *, status: MemberStatus | None, sector: str | None, page: int, page_size: int
    ) -> tuple[list[Member], int]:
        """A page of members filtered by status and sector."""
        return await self.repository.list(
            status=status, sector=sector, page=page, page_size=page_size
        )
