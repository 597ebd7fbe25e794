"""Delegation use cases: plan one, members apply, staff score and select."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ..standing.service import Standing
from .domain import Application, Delegation
from .repository import DelegationRepository


@dataclass
class DelegationService:
    """Member delegations to fairs and exhibitions."""

    delegations: DelegationRepository
    standing: Standing

    async def plan(self, fields: dict[str, Any]) -> Delegation:
        """A delegation members may apply to."""
        delegation = Delegation(str(uuid.uuid4()), created_at=datetime.now(UTC), **fields)
        await self.delegations.add(delegation, [])
        return delegation

    async def apply(self, delegation_id: str, member_id: str, motivation: str) -> Delegation:
        """A member in good standing applies (once)."""
        member = await self.standing.admit(member_id)
        application = Application(member_id, member.legal_name, motivation, datetime.now(UTC))
        async with self.delegations.changing(delegation_id) as change:
            change.item.apply(application)
        return change.item

    async def score(self, delegation_id: str, member_id: str, score: Decimal) -> Delegation:
        """Staff's score of an application."""
        async with self.delegations.changing(delegation_id) as change:
            change.item.score(member_id, score)
        return change.item

    async def select(self, delegation_id: str) -> Delegation:
        """Select the delegation; emits each applicant's outcome and the selected's share."""
        async with self.delegations.changing(delegation_id) as change:
            change.record(*change.item.select())
        return change.item

    async def get(self, delegation_id: str) -> Delegation:
        """One delegation, or `NotFound`."""
        return await self.delegations.get(delegation_id)

    async def search(self, *, page: int, page_size: int) -> tuple[list[Delegation], int]:
        """Delegations, newest first."""
        return await self.delegations.search(page=page, page_size=page_size)
