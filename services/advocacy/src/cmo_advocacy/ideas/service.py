"""Idea use cases: propose, back (members in good standing), promote or drop."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..standing.service import Standing
from .domain import Idea, IdeaStatus, PromotedTo
from .repository import IdeaRepository


@dataclass
class IdeaService:
    """Ideas for innovative projects."""

    ideas: IdeaRepository
    standing: Standing

    async def propose(self, fields: dict[str, Any], *, actor: str) -> Idea:
        """Record an idea for members to back."""
        idea = Idea(str(uuid.uuid4()), created_at=datetime.now(UTC), created_by=actor, **fields)
        await self.ideas.add(idea, [])
        return idea

    async def back(self, idea_id: str, member_id: str, note: str | None) -> Idea:
        """A member in good standing backs the idea (once per company)."""
        await self.standing.admit(member_id)
        async with self.ideas.changing(idea_id) as change:
            change.item.back(member_id, note, datetime.now(UTC))
        return change.item

    async def withdraw(self, idea_id: str, member_id: str) -> Idea:
        """A company withdraws its backing."""
        async with self.ideas.changing(idea_id) as change:
            change.item.withdraw(member_id)
        return change.item

    async def promote(self, idea_id: str, to: PromotedTo) -> Idea:
        """Turn an idea into a collaboration post or a funding search; emits `idea.promoted`."""
        async with self.ideas.changing(idea_id) as change:
            change.record(change.item.promote(to))
        return change.item

    async def drop(self, idea_id: str) -> Idea:
        """Stop pursuing an idea."""
        async with self.ideas.changing(idea_id) as change:
            change.item.drop()
        return change.item

    async def get(self, idea_id: str) -> Idea:
        """One idea, or `NotFound`."""
        return await self.ideas.get(idea_id)

    async def search(
        self, *, status: IdeaStatus | None, page: int, page_size: int
    ) -> tuple[list[Idea], int]:
        """Ideas, newest first."""
        return await self.ideas.search(status=status, page=page, page_size=page_size)

    async def open_ids(self) -> list[str]:
        """The ideas open for backing (at most a hundred, newest first)."""
        items, _ = await self.ideas.search(status=IdeaStatus.OPEN, page=1, page_size=100)
        return [i.idea_id for i in items]
