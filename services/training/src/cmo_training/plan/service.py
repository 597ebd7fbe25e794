"""Plan use cases: add items answering the year's needs, publish."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from ..needs.service import NeedService
from .domain import Format, Plan, PlanItem
from .repository import PlanRepository


@dataclass
class PlanService:
    """The annual training plans."""

    plans: PlanRepository
    needs: NeedService

    async def add_item(
        self,
        year: int,
        topic: str,
        format: Format,
        quarter: str,
        budget_line: str,
        provider: str | None,
    ) -> PlanItem:
        """Add an item; it answers the needs of the year in its topic (a draft plan is made)."""
        members = await self.needs.members_needing(year, topic)
        item = PlanItem(str(uuid.uuid4()), topic, format, quarter, budget_line, provider, members)
        async with self.plans.changing(year, create=lambda: Plan(year, datetime.now(UTC))) as c:
            c.item.add(item)
        return item

    async def publish(self, year: int) -> Plan:
        """Publish the plan; emits `training.plan_published`."""
        async with self.plans.changing(year) as change:
            change.record(change.item.publish(datetime.now(UTC)))
        return change.item

    async def get(self, year: int) -> Plan:
        """A year's plan, or `NotFound`."""
        return await self.plans.get(year, field="year")

    async def item(self, year: int, item_id: str) -> PlanItem:
        """One item of a year's plan."""
        return (await self.get(year)).item(item_id, "plan_item_id")
