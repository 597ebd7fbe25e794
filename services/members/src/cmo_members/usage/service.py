"""The record of members' use of the common services, counted from the services' events."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cmo_contracts import Envelope

from .domain import Tally, tally, use_of
from .repository import UsageRepository


@dataclass
class UsageService:
    """Counts each member's uses of each catalogue entry, once per use however often told."""

    uses: UsageRepository

    async def record(self, events: Sequence[Envelope[Any]]) -> int:
        """Store the uses some events record (one write); return how many were new."""
        found = [use_of(e.type, e.payload.model_dump(), e.occurred_at) for e in events]
        return await self.uses.add_new([u for u in found if u is not None])

    async def report(self, year: int, *, member_id: str | None, slug: str | None) -> list[Tally]:
        """Uses per member and service in a year, with the last use."""
        # Tallied here: FerretDB 1.24's $group has $sum but neither $max nor $last.
        return tally(await self.uses.of_year(year, member_id=member_id, slug=slug))
