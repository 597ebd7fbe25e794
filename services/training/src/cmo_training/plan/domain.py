"""The annual training plan: items answering ranked needs, `draft -> published`. Pure rules.

Each item names a topic, a format, a target quarter, a budget line and a provider, and the
members whose needs it answers (so a need leads to its item and an item to its needs).
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cmo_contracts.training import PlanItemFacts, PlanPublished
from cmo_shared.errors import Conflict, Invalid, NotFound


class PlanStatus(StrEnum):
    """`draft -> published` (a published plan may still gain items)."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Format(StrEnum):
    """What kind of offer an item or session is."""

    COURSE = "course"
    WORKSHOP = "workshop"
    FAIR = "fair"
    CAPACITY_DEVELOPMENT = "capacity_development"


class PlanConflict(Conflict):
    """The plan cannot do that in its status."""

    code = "plan_state_conflict"


@dataclass
class PlanItem:
    """One item of the plan."""

    item_id: str
    topic: str
    format: Format
    quarter: str
    budget_line: str
    provider: str | None
    members: list[str]
    """The members whose needs it answers."""

    def facts(self) -> PlanItemFacts:
        """The item as the plan's event tells it."""
        return PlanItemFacts(
            item_id=self.item_id,
            topic=self.topic,
            format=self.format.value,
            quarter=self.quarter,
            companies=len(self.members),
        )


@dataclass
class Plan:
    """A year's training plan."""

    year: int
    created_at: datetime
    items: list[PlanItem] = field(default_factory=list)
    status: PlanStatus = PlanStatus.DRAFT
    published_at: datetime | None = None

    def add(self, item: PlanItem) -> None:
        """Add an item in the plan's year."""
        if not item.quarter.startswith(f"{self.year}-"):
            raise Invalid(f"the item's quarter is not in {self.year}", field="quarter")
        self.items.append(item)

    def item(self, item_id: str, field_name: str = "item_id") -> PlanItem:
        """One item, or `NotFound` naming the field."""
        found = next((i for i in self.items if i.item_id == item_id), None)
        if found is None:
            raise NotFound(f"no plan item {item_id} in {self.year}", field=field_name)
        return found

    def publish(self, now: datetime) -> PlanPublished:
        """Publish the plan to members."""
        if self.status is PlanStatus.PUBLISHED:
            raise PlanConflict(f"the {self.year} plan is published already")
        if not self.items:
            raise PlanConflict(f"the {self.year} plan has no items", field="items")
        self.status, self.published_at = PlanStatus.PUBLISHED, now
        return PlanPublished(year=self.year, items=[i.facts() for i in self.items])
