"""Keeping the member read model, and the checks other features ask of it."""

from dataclasses import dataclass
from typing import Any

from cmo_contracts.members import GOOD_STANDING
from cmo_shared.standing import MemberStanding

from .domain import MemberFacts, in_sectors
from .repository import MemberView


@dataclass
class Standing(MemberStanding[MemberFacts]):
    """Members' standing, sector and size, as advocacy's events told them."""

    members: MemberView
    service = "advocacy"

    def facts(self, payload: Any, status: str) -> MemberFacts:
        """A member's name, sector and size."""
        return MemberFacts(
            payload.member_id, status, payload.legal_name, payload.sector, payload.employees
        )

    async def get(self, member_id: str) -> MemberFacts | None:
        """A member, if known."""
        return await self.members.get(member_id)

    async def many(self, member_ids: list[str]) -> dict[str, MemberFacts]:
        """The known members among some ids."""
        return await self.members.many(member_ids)

    async def electorate(self, sectors: list[str]) -> list[MemberFacts]:
        """Members in good standing whose sector falls under the prefixes."""
        everyone = await self.members.with_status(sorted(GOOD_STANDING))
        return sorted(
            (m for m in everyone if in_sectors(m.sector, sectors)), key=lambda m: m.member_id
        )
