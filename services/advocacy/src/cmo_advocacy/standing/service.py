"""Keeping the member read model, and the checks other features ask of it."""

from dataclasses import dataclass
from typing import Any

from cmo_contracts import Envelope
from cmo_contracts.members import GOOD_STANDING, status_set_by

from .domain import MemberFacts, admitted, in_sectors
from .repository import MemberView


@dataclass
class Standing:
    """Members' standing, sector and size, as advocacy's events told them."""

    members: MemberView

    async def on_profile(self, event: Envelope[Any]) -> None:
        """Keep a member's name, sector, size and status from an event carrying its profile."""
        payload = event.payload
        status = status_set_by(event)
        if status is None:
            known = await self.members.get(payload.member_id)
            status = known.status if known is not None else "applicant"
        await self.members.put(
            MemberFacts(
                payload.member_id, status, payload.legal_name, payload.sector, payload.employees
            )
        )

    async def on_status(self, event: Envelope[Any]) -> None:
        """Keep a member's status."""
        status = status_set_by(event)
        assert status is not None, f"{event.type} sets no status"
        await self.members.set_status(event.payload.member_id, status)

    async def admit(self, member_id: str) -> MemberFacts:
        """The member if it is in good standing; 403 `member_not_in_good_standing` if not."""
        return admitted(member_id, await self.members.get(member_id))

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
