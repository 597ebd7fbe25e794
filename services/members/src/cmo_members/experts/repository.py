"""Storage of experts and requests: the protocols the use cases need and their adapters."""

from contextlib import AbstractAsyncContextManager
from dataclasses import asdict
from typing import Any, Protocol

from cmo_shared.errors import NotFound
from cmo_shared.store import AggregateStore, Change, Event
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import Expert, ExpertRequest


class ExpertRepository(Protocol):
    """The directory of experts; entries raise no events."""

    async def add(self, expert: Expert) -> None:
        """Store a new expert."""
        ...

    async def get(self, expert_id: str) -> Expert:
        """One expert, or `NotFound`."""
        ...

    async def search(
        self, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[Expert], int]:
        """Experts whose fields hold the given values, by name, and their total."""
        ...


class ExpertRequestRepository(Protocol):
    """Members' requests for experts."""

    async def add(self, request: ExpertRequest, events: list[Event]) -> None:
        """Store a new request with its event."""
        ...

    def changing(self, request_id: str) -> AbstractAsyncContextManager[Change[ExpertRequest]]:
        """A request loaded for a change, saved with its events on success."""
        ...


class MongoExperts:
    """Experts in the `experts` collection."""

    collection_name = "experts"
    indexes = [IndexModel([("country", ASCENDING)])]

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def add(self, expert: Expert) -> None:
        """Store a new expert (its scope too, for searches)."""
        document = asdict(expert)
        document["_id"] = document.pop("expert_id")
        document["scope"] = expert.scope
        await self._collection.insert_one(document)

    @staticmethod
    def _expert(document: dict[str, Any]) -> Expert:
        fields = {k: v for k, v in document.items() if k in Expert.__dataclass_fields__}
        return Expert(expert_id=document["_id"], **fields)

    async def get(self, expert_id: str) -> Expert:
        """One expert, or `NotFound`."""
        document = await self._collection.find_one({"_id": expert_id})
        if document is None:
            raise NotFound(f"expert {expert_id} not found", field="expert_id")
        return self._expert(document)

    async def search(
        self, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[Expert], int]:
        """Experts whose fields hold the given values, by name, and their total."""
        total = await self._collection.count_documents(filters)
        cursor = (
            self._collection.find(filters)
            .sort("name", ASCENDING)
            .skip((page - 1) * page_size)
            .limit(page_size)
        )
        return [self._expert(d) async for d in cursor], total


class MongoExpertRequests(AggregateStore[ExpertRequest]):
    """Requests in the `expert_requests` collection; their events are keyed by member."""

    collection_name = "expert_requests"
    noun = "expert request"
    key_field = "request_id"
    indexes = [IndexModel([("member_id", ASCENDING)])]

    def to_document(self, item: ExpertRequest) -> dict[str, Any]:
        """The request's fields, its id as `_id`."""
        document = asdict(item)
        document["_id"] = document.pop("request_id")
        return document

    def from_document(self, document: dict[str, Any]) -> ExpertRequest:
        """A request from its stored fields."""
        fields = {k: v for k, v in document.items() if k in ExpertRequest.__dataclass_fields__}
        return ExpertRequest(request_id=document["_id"], **fields)

    def subject_of(self, item: ExpertRequest, document: dict[str, Any]) -> str:
        """Expert requests are about the member."""
        return item.member_id
