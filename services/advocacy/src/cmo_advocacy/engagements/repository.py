"""Storage of the engagement log."""

from typing import Protocol

from cmo_shared.http import given
from cmo_shared.store import DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel

from .domain import Engagement, TargetKind


class EngagementRepository(Protocol):
    """The engagement log."""

    async def add(self, engagement: Engagement, events: list[Event]) -> None:
        """Store a new entry with its event."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Engagement:
        """One entry, or `NotFound`."""
        ...

    async def search(
        self,
        *,
        target_kind: TargetKind | None,
        initiative_id: str | None,
        position_id: str | None,
        page: int,
        page_size: int,
    ) -> tuple[list[Engagement], int]:
        """Entries, latest first, and their total."""
        ...


class MongoEngagements(DataclassStore[Engagement]):
    """Entries in the `engagements` collection."""

    collection_name = "engagements"
    noun = "engagement"
    item_type = Engagement
    key_attribute = "engagement_id"
    indexes = [IndexModel([("on", DESCENDING)])]

    async def search(
        self,
        *,
        target_kind: TargetKind | None,
        initiative_id: str | None,
        position_id: str | None,
        page: int,
        page_size: int,
    ) -> tuple[list[Engagement], int]:
        """Entries, latest first, and their total."""
        return await self.page(
            given(target_kind=target_kind, initiative_id=initiative_id, position_id=position_id),
            sort=[("on", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
