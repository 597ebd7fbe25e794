"""The public directory: consenting members in good standing, listed fields only."""

from dataclasses import dataclass

from ..membership.domain import GOOD_STANDING, Member
from ..membership.repository import MemberRepository


@dataclass
class DirectoryService:
    """Reads the members who consented to be listed."""

    members: MemberRepository

    async def listed(self) -> list[Member]:
        """Consenting members in good standing, by name."""
        members, _ = await self.members.list(statuses=sorted(GOOD_STANDING), public_only=True)
        return sorted(members, key=lambda m: m.legal_name.casefold())
