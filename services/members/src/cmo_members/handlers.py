"""Use cases of the members service: each loads, applies the domain rule, saves with events."""

import asyncio
from dataclasses import dataclass
from typing import Any

from cmo_shared.events import Envelope, Payload, new_event
from cmo_shared.locks import DocumentLocks
from cmo_shared.outbox import OutboxRelay

from .domain import Member, MemberStatus, apply_for_membership
from .repository import COLLECTION, MemberRepository
from .schemas import MemberCreate, MemberUpdate

PRODUCER = "members"


def members_event(payload: Payload, *, subject_id: str, correlation_id: str) -> Envelope[Any]:
    """Wrap a payload in an envelope produced by the members service."""
    return new_event(
        payload, producer=PRODUCER, subject_id=subject_id, correlation_id=correlation_id
    )


@dataclass
class MembersService:
    """The members use cases, bound to their repository and outbox relay."""

    repository: MemberRepository
    relay: OutboxRelay
    locks: DocumentLocks

    def lock(self, member_id: str) -> asyncio.Lock:
        """The in-process lock serialising writes to one member (see `cmo_shared.locks`)."""
        return self.locks(COLLECTION, member_id)

    async def register(self, data: MemberCreate, *, actor: str, correlation_id: str) -> Member:
        """Register an applicant company; emits `member.applied`."""
        fields = data.model_dump(mode="json", exclude={"contacts"})
        member, applied = apply_for_membership(
            contacts=[c.model_dump() for c in data.contacts], actor=actor, **fields
        )
        await self.repository.add(
            member,
            [members_event(applied, subject_id=member.member_id, correlation_id=correlation_id)],
        )
        self.relay.wake()
        return member

    async def transition(
        self, member_id: str, command: str, *, actor: str, reason: str | None, correlation_id: str
    ) -> Member:
        """Run a lifecycle command; emits its one event. 409 if not allowed from the status."""
        async with self.lock(member_id):
            member = await self.repository.get(member_id)
            payload = member.apply(command, actor=actor, reason=reason)
            await self.repository.save(
                member,
                [
                    members_event(
                        payload, subject_id=member.member_id, correlation_id=correlation_id
                    )
                ],
            )
        self.relay.wake()
        return member

    async def update_profile(
        self, member_id: str, changes: MemberUpdate, *, correlation_id: str
    ) -> Member:
        """Change profile fields; emits `member.profile_updated` naming what changed."""
        # The fields given, whole: `exclude_unset` would also drop the defaults of a new contact.
        given = changes.model_dump(mode="json", include=changes.model_fields_set)
        async with self.lock(member_id):
            member = await self.repository.get(member_id)
            updated = member.update_profile(given)
            if updated is None:
                return member
            await self.repository.save(
                member,
                [
                    members_event(
                        updated, subject_id=member.member_id, correlation_id=correlation_id
                    )
                ],
            )
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
            statuses=[status] if status else None, sector=sector, page=page, page_size=page_size
        )
