"""Storage of providers and support requests."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.http import given
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel

from .domain import Provider, RequestStatus, ServiceType, SupportRequest


class ProviderRepository(Protocol):
    """The registry of vetted providers."""

    async def add(self, provider: Provider, events: list[Event]) -> None:
        """Store a new provider."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Provider:
        """One provider, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Provider]]:
        """A provider loaded for a change, saved with its events on success."""
        ...

    async def search(
        self, *, service_type: ServiceType | None = None, page: int = 1, page_size: int = 0
    ) -> tuple[list[Provider], int]:
        """Providers by name, and their total."""
        ...


class RequestRepository(Protocol):
    """Members' support requests."""

    async def add(self, request: SupportRequest, events: list[Event]) -> None:
        """Store a new request with its event."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> SupportRequest:
        """One request, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[SupportRequest]]:
        """A request loaded for a change, saved with its events on success."""
        ...

    async def search(
        self,
        *,
        member_id: str | None = None,
        status: RequestStatus | None = None,
        service_type: ServiceType | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[SupportRequest], int]:
        """Requests, newest first, and their total."""
        ...


class MongoProviders(DataclassStore[Provider]):
    """Providers in the `providers` collection."""

    collection_name = "providers"
    noun = "provider"
    item_type = Provider
    key_attribute = "provider_id"

    async def search(
        self, *, service_type: ServiceType | None = None, page: int = 1, page_size: int = 0
    ) -> tuple[list[Provider], int]:
        """Providers by name, and their total."""
        return await self.page(
            given(service_types=service_type),
            sort=[("name", ASCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )


class MongoRequests(DataclassStore[SupportRequest]):
    """Requests in the `support_requests` collection; their events are keyed by member."""

    collection_name = "support_requests"
    noun = "support request"
    key_field = "request_id"
    item_type = SupportRequest
    key_attribute = "request_id"
    indexes = [IndexModel([("member_id", ASCENDING)]), IndexModel([("status", ASCENDING)])]

    def subject_of(self, item: SupportRequest, document: dict) -> str:
        """Request events are about the member."""
        return item.member_id

    async def search(
        self,
        *,
        member_id: str | None = None,
        status: RequestStatus | None = None,
        service_type: ServiceType | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[SupportRequest], int]:
        """Requests, newest first, and their total."""
        return await self.page(
            given(member_id=member_id, status=status, service_type=service_type),
            sort=[("created_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
