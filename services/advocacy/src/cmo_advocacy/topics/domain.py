"""Topics from the industry screening and the strategy of each active one: pure rules.

A topic goes `watch -> active -> closed` (a watched topic may also be closed without ever
becoming active). Only an active topic carries a strategy: activities with an owner, a due
date and a status. Becoming active emits `topic.prioritised`; closing emits `topic.closed`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from cmo_contracts.advocacy import TopicClosed, TopicPrioritised
from cmo_shared.errors import Conflict, NotFound


class TopicStatus(StrEnum):
    """`watch -> active -> closed`."""

    WATCH = "watch"
    ACTIVE = "active"
    CLOSED = "closed"


class Priority(StrEnum):
    """How much of the CMO's effort a topic deserves."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ActivityStatus(StrEnum):
    """Where one activity of a strategy stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class TopicConflict(Conflict):
    """The topic cannot do that in its status."""

    code = "topic_state_conflict"


@dataclass
class Activity:
    """One step of an active topic's advocacy strategy."""

    activity_id: str
    what: str
    owner: str
    due: date
    status: ActivityStatus = ActivityStatus.PLANNED


@dataclass
class Topic:
    """An important topic for the industry, found by screening."""

    topic_id: str
    title: dict[str, str]
    summary: dict[str, str]
    sectors: list[str]
    priority: Priority
    source: str
    created_at: datetime
    created_by: str
    status: TopicStatus = TopicStatus.WATCH
    activities: list[Activity] = field(default_factory=list)
    outcome: str | None = None
    prioritised_at: datetime | None = None
    closed_at: datetime | None = None

    def prioritise(self, priority: Priority | None, now: datetime) -> TopicPrioritised:
        """Make a watched topic active: the CMO works on it now."""
        if self.status is not TopicStatus.WATCH:
            raise TopicConflict(f"the topic is {self.status}; only a watched one becomes active")
        self.status, self.prioritised_at = TopicStatus.ACTIVE, now
        self.priority = priority or self.priority
        return TopicPrioritised(
            topic_id=self.topic_id,
            title=self.title,
            sectors=self.sectors,
            priority=self.priority.value,
        )

    def close(self, outcome: str, now: datetime) -> TopicClosed:
        """End work on the topic, saying what came of it."""
        if self.status is TopicStatus.CLOSED:
            raise TopicConflict("the topic is closed already")
        self.status, self.outcome, self.closed_at = TopicStatus.CLOSED, outcome, now
        return TopicClosed(topic_id=self.topic_id, title=self.title, outcome=outcome)

    def plan(self, activity: Activity) -> None:
        """Add an activity to the strategy of an active topic."""
        if self.status is not TopicStatus.ACTIVE:
            raise TopicConflict(
                f"the topic is {self.status}; a strategy is planned for an active topic"
            )
        self.activities.append(activity)

    def track(self, activity_id: str, status: ActivityStatus) -> Activity:
        """Record where an activity stands."""
        found = next((a for a in self.activities if a.activity_id == activity_id), None)
        if found is None:
            raise NotFound(f"no activity {activity_id}", field="activity_id")
        found.status = status
        return found

    @property
    def next_due(self) -> date | None:
        """The earliest due date of the activities still open."""
        open_ = [a.due for a in self.activities if a.status in _OPEN]
        return min(open_, default=None)


_OPEN = (ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS)
