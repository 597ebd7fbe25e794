"""Storage of sessions."""

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from cmo_shared.http import given
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, IndexModel

from .domain import Session, SessionStatus


class SessionRepository(Protocol):
    """Sessions."""

    async def add(self, session: Session, events: list[Event]) -> None:
        """Store a new session with its event."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Session:
        """One session, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Session]]:
        """A session loaded for a change, saved with its events on success."""
        ...

    async def search(
        self, *, status: SessionStatus | None, topic: str | None, page: int, page_size: int
    ) -> tuple[list[Session], int]:
        """Sessions by their first sitting, and their total."""
        ...

    async def window_over(self, now: datetime) -> list[Session]:
        """Scheduled sessions whose priority window has ended."""
        ...


class MongoSessions(DataclassStore[Session]):
    """Sessions in the `sessions` collection."""

    collection_name = "sessions"
    noun = "session"
    item_type = Session
    key_attribute = "session_id"
    indexes = [IndexModel([("status", ASCENDING)])]

    async def search(
        self, *, status: SessionStatus | None, topic: str | None, page: int, page_size: int
    ) -> tuple[list[Session], int]:
        """Sessions, newest first, and their total."""
        return await self.page(
            given(status=status, topic=topic),
            sort=[("created_at", ASCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )

    async def window_over(self, now: datetime) -> list[Session]:
        """Scheduled sessions whose priority window has ended."""
        return await self.find(
            {"status": SessionStatus.SCHEDULED.value, "priority_until": {"$lte": now}}
        )
