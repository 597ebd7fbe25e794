"""Keeping the member read model, and the checks other features ask of it."""

from dataclasses import dataclass
from typing import Any

from cmo_shared.standing import MemberStanding, in_good_standing

from .domain import MemberFacts
from .repository import MemberView


@dataclass
class Standing(MemberStanding[MemberFacts]):
    """Members' standing and names, as training's events told them."""

    members: MemberView
    service = "training"

    def facts(self, payload: Any, status: str) -> MemberFacts:
        """A member's name and sector."""
        return MemberFacts(payload.member_id, status, payload.legal_name, payload.sector)

    async def in_good_standing(self, member_ids: list[str]) -> list[str]:
        """Those of the members that are known and in good standing."""
        known = await self.members.many(member_ids)
        return [m for m in member_ids if in_good_standing(known.get(m))]
