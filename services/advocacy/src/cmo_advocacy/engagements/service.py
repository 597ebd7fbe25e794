"""Engagement log use cases."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..consultations.repository import PositionRepository
from ..legislation.repository import InitiativeRepository
from .domain import Engagement
from .repository import EngagementRepository


@dataclass
class EngagementService:
    """The log of contacts with government, parliament, donors and IFIs."""

    engagements: EngagementRepository
    initiatives: InitiativeRepository
    positions: PositionRepository

    async def log(self, fields: dict[str, Any], *, actor: str) -> Engagement:
        """Log a contact; linked initiative and position must exist. Emits `engagement.logged`."""
        if fields.get("initiative_id"):
            await self.initiatives.get(fields["initiative_id"], field="initiative_id")
        if fields.get("position_id"):
            await self.positions.get(fields["position_id"], field="position_id")
        entry = Engagement(
            str(uuid.uuid4()), logged_by=actor, logged_at=datetime.now(UTC), **fields
        )
        await self.engagements.add(entry, [entry.logged()])
        return entry

    async def get(self, engagement_id: str) -> Engagement:
        """One entry, or `NotFound`."""
        return await self.engagements.get(engagement_id)

    async def search(self, **filters: Any) -> tuple[list[Engagement], int]:
        """Entries, latest first."""
        return await self.engagements.search(**filters)
