"""Session use cases: schedule from the plan with a priority window, open it up."""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..needs.service import NeedService
from ..plan.service import PlanService
from .domain import Session, SessionStatus, Sitting
from .repository import SessionRepository


@dataclass
class SessionService:
    """Sessions and their priority windows."""

    sessions: SessionRepository
    needs: NeedService
    plans: PlanService
    seats_left: Callable[[Session], Awaitable[int]]

    async def schedule(
        self, fields: dict[str, Any], sittings: list[Sitting], priority_hours: float
    ) -> Session:
        """Schedule a session; members whose needs match its topic are invited first.

        Emits `training.scheduled`; with no priority window it opens at once.
        """
        if item_id := fields.get("plan_item_id"):
            item = await self.plans.item(sittings[0].starts_at.year, item_id)
            fields.setdefault("topic", item.topic)
            fields.setdefault("provider", item.provider)
        now = datetime.now(UTC)
        year = min(s.starts_at for s in sittings).year
        session = Session(
            str(uuid.uuid4()),
            sittings=sittings,
            created_at=now,
            priority_until=now + timedelta(hours=priority_hours),
            invited=await self.needs.members_needing(year, fields["topic"]),
            **fields,
        )
        events: list[Any] = [session.scheduled()]
        if priority_hours == 0:
            events.append(session.open(session.capacity))
        await self.sessions.add(session, events)
        return session

    async def open(self, session_id: str) -> Session:
        """End the priority window now; emits `training.registration_opened`."""
        async with self.sessions.changing(session_id) as change:
            change.record(change.item.open(await self.seats_left(change.item)))
        return change.item

    async def open_due(self) -> str:
        """Open every session whose priority window has ended."""
        due = await self.sessions.window_over(datetime.now(UTC))
        for session in due:
            await self.open(session.session_id)
        return f"{len(due)} sessions opened to every member"

    async def reschedule(
        self,
        session_id: str,
        sittings: list[Sitting] | None,
        venue: str | None,
        online_url: str | None,
    ) -> Session:
        """Change a session's time or place; its calendar sequence goes up."""
        async with self.sessions.changing(session_id) as change:
            change.item.reschedule(sittings, venue, online_url)
        return change.item

    async def cancel(self, session_id: str, reason: str, registrations: int) -> Session:
        """Call a session off; emits `training.cancelled`."""
        async with self.sessions.changing(session_id) as change:
            change.record(change.item.cancel(reason, registrations))
        return change.item

    async def record_attendance(
        self, session_id: str, sitting_id: str, present: list[str]
    ) -> Session:
        """Who was present at a sitting."""
        async with self.sessions.changing(session_id) as change:
            change.item.record_attendance(sitting_id, present)
        return change.item

    async def complete(self, session_id: str) -> Session:
        """Close attendance."""
        async with self.sessions.changing(session_id) as change:
            change.item.complete()
        return change.item

    async def get(self, session_id: str, *, field: str | None = None) -> Session:
        """One session, or `NotFound`."""
        return await self.sessions.get(session_id, field=field)

    async def search(
        self, *, status: SessionStatus | None, topic: str | None, page: int, page_size: int
    ) -> tuple[list[Session], int]:
        """Sessions."""
        return await self.sessions.search(
            status=status, topic=topic, page=page, page_size=page_size
        )
