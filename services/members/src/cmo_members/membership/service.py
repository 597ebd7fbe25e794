"""Membership use cases: applications, the lifecycle and profiles, each saved with its event."""

from dataclasses import dataclass

from cmo_shared.store import Duplicate

from .domain import DuplicateTaxId, Member, MemberStatus, NotInGoodStanding, apply_for_membership
from .repository import MemberRepository
from .schemas import MemberCreate, MemberUpdate


@dataclass
class MembershipService:
    """The member companies' lifecycle and profiles."""

    members: MemberRepository

    async def register(self, data: MemberCreate, *, actor: str) -> Member:
        """Register an applicant company; emits `member.applied`."""
        fields = data.model_dump(mode="json", exclude={"contacts"})
        member, applied = apply_for_membership(
            contacts=[c.model_dump() for c in data.contacts], actor=actor, **fields
        )
        try:
            await self.members.add(member, [applied])
        except Duplicate as exc:
            raise DuplicateTaxId(
                f"a member with tax id {member.tax_id} already exists", field="tax_id"
            ) from exc
        return member

    async def transition(
        self, member_id: str, command: str, *, actor: str, reason: str | None
    ) -> Member:
        """Run a lifecycle command; emits its one event. 409 if not allowed from the status."""
        async with self.members.changing(member_id) as change:
            change.record(change.item.apply(command, actor=actor, reason=reason))
        return change.item

    async def update_profile(self, member_id: str, changes: MemberUpdate) -> Member:
        """Change profile fields; emits `member.profile_updated` naming what changed."""
        # The fields given, whole: `exclude_unset` would also drop the defaults of a new contact.
        given = changes.model_dump(mode="json", include=changes.model_fields_set)
        async with self.members.changing(member_id) as change:
            change.record(change.item.update_profile(given))
        return change.item

    async def get(self, member_id: str) -> Member:
        """One member by id."""
        return await self.members.get(member_id)

    async def in_good_standing(self, member_id: str) -> Member:
        """A member that may use the common services, or `NotInGoodStanding`."""
        member = await self.members.get(member_id)
        if not member.in_good_standing:
            raise NotInGoodStanding(
                f"member {member_id} is {member.status}, not in good standing",
                field="member_id",
            )
        return member

    async def list(
        self,
        *,
        status: MemberStatus | None,
        sector: str | None,
        text: str | None = None,
        page: int,
        page_size: int,
    ) -> tuple[list[Member], int]:
        """A page of members filtered by status, sector and a text in the name or tax id."""
        return await self.members.list(
            statuses=[status] if status else None,
            sector=sector,
            text=text,
            page=page,
            page_size=page_size,
        )
