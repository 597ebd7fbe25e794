"""Funding call use cases: drafts, publication (which starts the matching) and closing."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .domain import CallStatus, FundingCall
from .repository import CallRepository


@dataclass
class CallService:
    """Funding calls, each change saved with its events."""

    calls: CallRepository

    async def create(self, call: FundingCall) -> FundingCall:
        """Store a new draft call."""
        await self.calls.add(call)
        return call

    async def get(self, call_id: str) -> FundingCall:
        """One call, or `NotFound`."""
        return await self.calls.get(call_id)

    async def search(
        self,
        *,
        statuses: list[CallStatus] | None,
        instrument: str | None,
        funder_kind: str | None,
        page: int,
        page_size: int,
    ) -> tuple[list[FundingCall], int]:
        """Calls closing soonest first, filtered by status, instrument and funder kind."""
        return await self.calls.search(
            statuses=statuses,
            instrument=instrument,
            funder_kind=funder_kind,
            page=page,
            page_size=page_size,
        )

    async def edit(self, call_id: str, changes: dict[str, Any]) -> FundingCall:
        """Change a draft."""
        async with self.calls.changing(call_id) as change:
            change.item.edit(changes)
        return change.item

    async def publish(self, call_id: str, *, today: date) -> FundingCall:
        """Publish a draft; emits `funding_call.published`, which starts the matching."""
        async with self.calls.changing(call_id) as change:
            change.record(change.item.publish(today=today, now=datetime.now(UTC)))
        return change.item

    async def close(self, call_id: str, *, actor: str) -> FundingCall:
        """Close a published call; emits `funding_call.closed`."""
        async with self.calls.changing(call_id) as change:
            change.record(change.item.close(actor=actor, now=datetime.now(UTC)))
        return change.item

    async def published(self) -> list[FundingCall]:
        """Every call open to members."""
        calls, _ = await self.calls.search(statuses=[CallStatus.PUBLISHED])
        return calls
