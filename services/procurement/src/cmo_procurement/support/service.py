"""Support use cases: the provider registry and members' requests routed to providers."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cmo_shared.schedule import today_in_tbilisi

from ..standing.service import Standing
from .domain import (
    CATALOGUE_SLUG,
    Provider,
    ProviderStatus,
    RequestStatus,
    ServiceType,
    SupportRequest,
)
from .repository import ProviderRepository, RequestRepository


@dataclass
class SupportService:
    """Access to certification, audit, ERP, advisory and technology services."""

    providers: ProviderRepository
    requests: RequestRepository
    standing: Standing

    async def register_provider(self, fields: dict[str, Any]) -> Provider:
        """Add a vetted provider; emits `provider.registered`."""
        provider = Provider(str(uuid.uuid4()), created_at=datetime.now(UTC), **fields)
        await self.providers.add(provider, [provider.registered(today_in_tbilisi())])
        return provider

    async def set_provider_status(
        self, provider_id: str, status: ProviderStatus, reason: str, *, actor: str
    ) -> Provider:
        """Suspend or reactivate a provider; emits `provider.status_changed`."""
        async with self.providers.changing(provider_id) as change:
            event = change.item.set_status(
                status, reason, actor=actor, at=datetime.now(UTC), today=today_in_tbilisi()
            )
            change.record(event)
        return change.item

    async def get_provider(self, provider_id: str) -> Provider:
        """One provider, or `NotFound`."""
        return await self.providers.get(provider_id)

    async def search_providers(
        self, *, service_type: ServiceType | None, available: bool, page: int, page_size: int
    ) -> tuple[list[Provider], int]:
        """Providers by name; only those offered today when `available`."""
        if not available:
            return await self.providers.search(
                service_type=service_type, page=page, page_size=page_size
            )
        everyone, _ = await self.providers.search(service_type=service_type)
        today = today_in_tbilisi()
        offered = [p for p in everyone if p.status_on(today) is ProviderStatus.ACTIVE]
        return offered[(page - 1) * page_size : page * page_size], len(offered)

    async def request(
        self, member_id: str, service_type: ServiceType, summary: str, standard: str | None
    ) -> SupportRequest:
        """A member in good standing asks for a service the year's catalogue offers."""
        await self.standing.admit(member_id)
        await self.standing.require_offered(
            today_in_tbilisi().year, CATALOGUE_SLUG[service_type], field="service_type"
        )
        request = SupportRequest(
            str(uuid.uuid4()), member_id, service_type, summary, datetime.now(UTC), standard
        )
        await self.requests.add(request, [request.created()])
        return request

    async def move(
        self, request_id: str, status: RequestStatus, note: str | None, *, actor: str
    ) -> SupportRequest:
        """Triage, engage, complete or decline a request; emits the matching event."""
        now = datetime.now(UTC)
        async with self.requests.changing(request_id) as change:
            item = change.item
            if status is RequestStatus.TRIAGED:
                change.record(item.triage(note, actor=actor, at=now))
            elif status is RequestStatus.ENGAGED:
                change.record(item.engage(actor=actor, at=now))
            elif status is RequestStatus.COMPLETED:
                change.record(item.complete(actor=actor, at=now))
            else:
                change.record(item.decline(note or "declined", actor=actor, at=now))
        return change.item

    async def match(self, request_id: str, provider_id: str, *, actor: str) -> SupportRequest:
        """Route a triaged request to a provider; emits `support_request.matched`."""
        provider = await self.providers.get(provider_id, field="provider_id")
        async with self.requests.changing(request_id) as change:
            change.record(
                change.item.match(
                    provider, actor=actor, at=datetime.now(UTC), today=today_in_tbilisi()
                )
            )
        return change.item

    async def rate(self, request_id: str, rating: int, comment: str | None) -> SupportRequest:
        """The member rates a completed engagement; the provider's score follows."""
        async with self.requests.changing(request_id) as change:
            change.record(change.item.rate(rating, comment, at=datetime.now(UTC)))
        assert change.item.provider_id is not None
        async with self.providers.changing(change.item.provider_id) as provider:
            provider.item.ratings.append(rating)
        return change.item

    async def get_request(self, request_id: str) -> SupportRequest:
        """One request, or `NotFound`."""
        return await self.requests.get(request_id)

    async def search_requests(self, **filters: Any) -> tuple[list[SupportRequest], int]:
        """Requests, newest first."""
        return await self.requests.search(**filters)
