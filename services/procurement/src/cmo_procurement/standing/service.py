"""Keeping the read models, and the checks every other feature asks of them."""

from dataclasses import dataclass
from typing import Any

from cmo_contracts import Envelope
from cmo_contracts.members import status_set_by

from .domain import CatalogueFacts, MemberFacts, admitted, in_good_standing, offered
from .repository import CatalogueView, MemberView


@dataclass
class Standing:
    """Members' standing and the catalogue, as procurement's events told it."""

    members: MemberView
    catalogue: CatalogueView

    async def on_profile(self, event: Envelope[Any]) -> None:
        """Keep a member's name and status from an event carrying its whole profile."""
        payload = event.payload
        status = status_set_by(event)
        if status is None:
            known = await self.members.get(payload.member_id)
            status = known.status if known is not None else "applicant"
        await self.members.put(
            MemberFacts(
                payload.member_id, status, payload.legal_name, payload.tax_id, payload.region
            )
        )

    async def on_status(self, event: Envelope[Any]) -> None:
        """Keep a member's status."""
        status = status_set_by(event)
        assert status is not None, f"{event.type} sets no status"
        await self.members.set_status(event.payload.member_id, status)

    async def on_catalogue(self, event: Envelope[Any]) -> None:
        """Keep a catalogue entry."""
        p = event.payload
        await self.catalogue.put(CatalogueFacts(p.year, p.slug, p.title, p.availability))

    async def admit(self, member_id: str) -> MemberFacts:
        """The member if it is in good standing; 403 `member_not_in_good_standing` if not."""
        return admitted(member_id, await self.members.get(member_id))

    async def may_use(self, member_id: str) -> bool:
        """Whether a member is known and in good standing (events of others are ignored)."""
        return in_good_standing(await self.members.get(member_id))

    async def require_offered(self, year: int, slug: str, *, field: str) -> None:
        """409 `service_not_offered` when the year's catalogue marks the service not offered."""
        offered(await self.catalogue.get(year, slug), field)
