"""Trend-scouting use cases: keep the radar, publish bulletins from it."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cmo_shared.store import Duplicate

from ..ideas.service import IdeaService
from .domain import Bulletin, BulletinExists, RadarEntry, Ring, snapshot
from .repository import BulletinRepository, RadarRepository


@dataclass
class TrendService:
    """The trend radar and its bulletins."""

    radar: RadarRepository
    bulletins: BulletinRepository
    ideas: IdeaService
    public_url: str

    async def add_entry(self, fields: dict[str, Any]) -> RadarEntry:
        """Put a trend or technology on the radar."""
        entry = RadarEntry(str(uuid.uuid4()), updated_at=datetime.now(UTC), **fields)
        await self.radar.add(entry, [])
        return entry

    async def move(self, entry_id: str, ring: Ring, rationale: dict[str, str]) -> RadarEntry:
        """Put an entry in another ring, saying why."""
        async with self.radar.changing(entry_id) as change:
            change.item.move(ring, rationale, datetime.now(UTC))
        return change.item

    async def entries(self) -> list[RadarEntry]:
        """The radar as it stands, in bulletin order."""
        entries = {e.entry_id: e for e in await self.radar.all()}
        return [entries[line.entry_id] for line in snapshot(list(entries.values()))]

    async def publish(self, period: str, title: dict[str, str], *, actor: str) -> Bulletin:
        """Publish the radar as the period's bulletin; emits `bulletin.published`.

        The bulletin's id derives from its period, so a retried request publishes it once;
        then every entry's ring is remembered as the one the next bulletin moves from.
        """
        entries = await self.radar.all()
        open_ideas = await self.ideas.open_ids()
        bulletin_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bulletin:{period}"))
        bulletin = Bulletin(
            bulletin_id, period, title, snapshot(entries), datetime.now(UTC), actor, open_ideas
        )
        try:
            url = f"{self.public_url}/bulletins/{bulletin_id}"
            await self.bulletins.add(bulletin, [bulletin.published(url)])
        except Duplicate as exc:
            raise BulletinExists(f"{period} has a bulletin already", field="period") from exc
        for entry in entries:
            async with self.radar.changing(entry.entry_id) as change:
                change.item.ring_in_last_bulletin = change.item.ring
        return bulletin

    async def get(self, bulletin_id: str) -> Bulletin:
        """One bulletin, or `NotFound`."""
        return await self.bulletins.get(bulletin_id)

    async def search(self, *, page: int, page_size: int) -> tuple[list[Bulletin], int]:
        """Bulletins, newest first."""
        return await self.bulletins.search(page=page, page_size=page_size)
