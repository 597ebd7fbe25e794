"""Legislation use cases: track an initiative, move it, keep and compare its texts."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from cmo_shared.schedule import today_in_tbilisi

from .domain import Initiative, Stage, StageEntry, TextDiff, TextVersion, diff
from .repository import InitiativeRepository


@dataclass
class LegislationService:
    """The legislative tracker."""

    initiatives: InitiativeRepository

    async def track(
        self, fields: dict[str, Any], *, on: date | None, note: str | None, actor: str
    ) -> Initiative:
        """Start following an initiative; emits `legislation.stage_changed` (from none)."""
        now = datetime.now(UTC)
        initiative = Initiative(str(uuid.uuid4()), created_at=now, **fields)
        entry = StageEntry(initiative.stage, on or today_in_tbilisi(), note, actor, now)
        event = initiative.tracked(entry)
        await self.initiatives.add(initiative, [event])
        return initiative

    async def move(
        self,
        initiative_id: str,
        stage: Stage,
        *,
        on: date | None,
        note: str | None,
        next_deadline: date | None,
        registration_number: str | None,
        actor: str,
    ) -> Initiative:
        """Move an initiative to another stage; emits `legislation.stage_changed`."""
        async with self.initiatives.changing(initiative_id) as change:
            entry = StageEntry(stage, on or today_in_tbilisi(), note, actor, datetime.now(UTC))
            change.record(
                change.item.move(
                    entry, next_deadline=next_deadline, registration_number=registration_number
                )
            )
        return change.item

    async def add_version(self, initiative_id: str, label: str, text: str) -> TextVersion:
        """Keep a new version of the initiative's text."""
        async with self.initiatives.changing(initiative_id) as change:
            version = change.item.add_version(label, text, datetime.now(UTC))
        return version

    async def diff(self, initiative_id: str, old: int, new: int) -> TextDiff:
        """What changed in the text between two versions."""
        initiative = await self.initiatives.get(initiative_id)
        return diff(initiative.version(old, "from_version"), initiative.version(new, "to_version"))

    async def get(self, initiative_id: str) -> Initiative:
        """One initiative, or `NotFound`."""
        return await self.initiatives.get(initiative_id)

    async def search(
        self, *, stage: Stage | None, topic_id: str | None, page: int, page_size: int
    ) -> tuple[list[Initiative], int]:
        """The tracker, latest first."""
        return await self.initiatives.search(
            stage=stage, topic_id=topic_id, page=page, page_size=page_size
        )
