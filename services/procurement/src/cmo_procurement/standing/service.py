"""Keeping the read models, and the checks every other feature asks of them."""

from dataclasses import dataclass
from typing import Any

from cmo_contracts import Envelope
from cmo_shared.standing import MemberStanding

from .domain import CatalogueFacts, MemberFacts, offered
from .repository import CatalogueView, MemberView


@dataclass
class Standing(MemberStanding[MemberFacts]):
    """Members' standing and the catalogue, as procurement's events told it."""

    members: MemberView
    catalogue: CatalogueView
    service = "procurement"

    def facts(self, payload: Any, status: str) -> MemberFacts:
        """A member's name, tax id and region."""
        return MemberFacts(
            payload.member_id, status, payload.legal_name, payload.tax_id, payload.region
        )

    async def on_catalogue(self, event: Envelope[Any]) -> None:
        """Keep a catalogue entry."""
        p = event.payload
        await self.catalogue.put(CatalogueFacts(p.year, p.slug, p.title, p.availability))

    async def require_offered(self, year: int, slug: str, *, field: str) -> None:
        """409 `service_not_offered` when the year's catalogue marks the service not offered."""
        offered(await self.catalogue.get(year, slug), field)
