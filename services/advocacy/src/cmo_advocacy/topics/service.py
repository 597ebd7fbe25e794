"""Topic use cases: screen, prioritise, plan the strategy, close."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .domain import Activity, ActivityStatus, Priority, Topic, TopicStatus
from .repository import TopicRepository


@dataclass
class TopicService:
    """Industry screening and advocacy strategies."""

    topics: TopicRepository

    async def screen(self, fields: dict[str, Any], *, actor: str) -> Topic:
        """Record a topic found by screening, watched at first."""
        topic = Topic(str(uuid.uuid4()), created_at=datetime.now(UTC), created_by=actor, **fields)
        await self.topics.add(topic, [])
        return topic

    async def prioritise(self, topic_id: str, priority: Priority | None) -> Topic:
        """Make a topic active; emits `topic.prioritised`."""
        async with self.topics.changing(topic_id) as change:
            change.record(change.item.prioritise(priority, datetime.now(UTC)))
        return change.item

    async def close(self, topic_id: str, outcome: str) -> Topic:
        """End work on a topic; emits `topic.closed`."""
        async with self.topics.changing(topic_id) as change:
            change.record(change.item.close(outcome, datetime.now(UTC)))
        return change.item

    async def plan(self, topic_id: str, what: str, owner: str, due: date) -> Topic:
        """Add an activity to an active topic's strategy."""
        async with self.topics.changing(topic_id) as change:
            change.item.plan(Activity(str(uuid.uuid4()), what, owner, due))
        return change.item

    async def track(self, topic_id: str, activity_id: str, status: ActivityStatus) -> Topic:
        """Record where an activity stands."""
        async with self.topics.changing(topic_id) as change:
            change.item.track(activity_id, status)
        return change.item

    async def get(self, topic_id: str) -> Topic:
        """One topic, or `NotFound`."""
        return await self.topics.get(topic_id)

    async def search(
        self, *, status: TopicStatus | None, page: int, page_size: int
    ) -> tuple[list[Topic], int]:
        """Topics, newest first."""
        return await self.topics.search(status=status, page=page, page_size=page_size)
