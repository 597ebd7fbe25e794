"""Storage of applications: the protocol the use cases need and its MongoDB adapter."""

from contextlib import AbstractAsyncContextManager
from dataclasses import asdict
from typing import Any, Protocol

from cmo_shared.http import given
from cmo_shared.store import AggregateStore, Change, Event
from pymongo import ASCENDING, IndexModel

from .domain import Application, ApplicationStatus


class ApplicationRepository(Protocol):
    """Members' applications, one per member and call."""

    async def add(self, application: Application, events: list[Event]) -> None:
        """Store a new application with its event; `Duplicate` if it exists."""
        ...

    async def get(self, application_id: str) -> Application:
        """One application, or `NotFound`."""
        ...

    def changing(self, application_id: str) -> AbstractAsyncContextManager[Change[Application]]:
        """An application loaded for a change, saved with its events on success."""
        ...

    async def search(
        self,
        *,
        call_id: str | None = None,
        member_id: str | None = None,
        status: ApplicationStatus | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Application], int]:
        """Applications matching the filters, oldest first, and their total."""
        ...

    async def to_remind(self, call_id: str) -> list[Application]:
        """A call's applications not reminded yet."""
        ...


class MongoApplications(AggregateStore[Application]):
    """Applications in the `applications` collection; their events are keyed by member."""

    collection_name = "applications"
    noun = "application"
    indexes = [
        IndexModel([("call_id", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("member_id", ASCENDING)]),
    ]

    def to_document(self, item: Application) -> dict[str, Any]:
        """The application's fields, `<call id>:<member id>` as `_id`."""
        return {"_id": item.application_id, **asdict(item)}

    def from_document(self, document: dict[str, Any]) -> Application:
        """An application from its stored fields."""
        fields = {k: v for k, v in document.items() if k in Application.__dataclass_fields__}
        fields["status"] = ApplicationStatus(fields["status"])
        return Application(**fields)

    def subject_of(self, item: Application, document: dict[str, Any]) -> str:
        """Application events are about the member."""
        return item.member_id

    async def search(
        self,
        *,
        call_id: str | None = None,
        member_id: str | None = None,
        status: ApplicationStatus | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Application], int]:
        """Applications matching the filters, oldest first, and their total."""
        return await self.page(
            given(call_id=call_id, member_id=member_id, status=status),
            sort=[("created_at", ASCENDING)],
            page=page,
            page_size=page_size,
        )

    async def to_remind(self, call_id: str) -> list[Application]:
        """A call's applications not reminded yet."""
        return await self.find({"call_id": call_id, "reminded": False})
