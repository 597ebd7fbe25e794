"""HTTP API of the provider registry and members' support requests."""

from dataclasses import asdict
from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from cmo_shared.schedule import today_in_tbilisi
from fastapi import APIRouter, Query, status

from .domain import Provider, ProviderStatus, RequestStatus, ServiceType, SupportRequest
from .schemas import (
    MatchWrite,
    ProviderPage,
    ProviderRead,
    ProviderStatusWrite,
    ProviderWrite,
    RatingWrite,
    SupportMove,
    SupportRequestPage,
    SupportRequestRead,
    SupportRequestWrite,
)
from .service import SupportService

router = APIRouter(tags=["procurement"], responses=ERROR_RESPONSES)
Service = Annotated[SupportService, provided(SupportService)]


def _provider(provider: Provider) -> ProviderRead:
    fields = {k: v for k, v in asdict(provider).items() if k not in ("history", "ratings")}
    fields["status"] = provider.status_on(today_in_tbilisi())
    return ProviderRead(**fields, ratings=len(provider.ratings), score=provider.score)


def _request(request: SupportRequest) -> SupportRequestRead:
    return SupportRequestRead(**{k: v for k, v in asdict(request).items() if k != "history"})


@router.post("/providers", status_code=status.HTTP_201_CREATED, summary="Register a provider")
async def register_provider(body: ProviderWrite, service: Service) -> ProviderRead:
    """A vetted provider of support services; emits `provider.registered`."""
    return _provider(await service.register_provider(body.model_dump()))


@router.get("/providers", summary="List providers")
async def list_providers(
    service: Service,
    service_type: ServiceType | None = None,
    available: Annotated[bool, Query(description="Only those offered today.")] = False,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> ProviderPage:
    """Providers by name, of a service type; expired and suspended left out if `available`."""
    items, total = await service.search_providers(
        service_type=service_type, available=available, page=page, page_size=page_size
    )
    return ProviderPage.of([_provider(p) for p in items], total, page, page_size)


@router.get("/providers/{provider_id}", summary="Get a provider")
async def get_provider(provider_id: str, service: Service) -> ProviderRead:
    """One provider with today's status and its score."""
    return _provider(await service.get_provider(provider_id))


@router.post("/providers/{provider_id}/status", summary="Suspend or reactivate a provider")
async def set_provider_status(
    provider_id: str, body: ProviderStatusWrite, service: Service, actor: Actor
) -> ProviderRead:
    """Emits `provider.status_changed`."""
    provider = await service.set_provider_status(
        provider_id, ProviderStatus(body.status), body.reason, actor=actor
    )
    return _provider(provider)


@router.post(
    "/support-requests", status_code=status.HTTP_201_CREATED, summary="Ask for a support service"
)
async def create_request(body: SupportRequestWrite, service: Service) -> SupportRequestRead:
    """Emits `support_request.created`.

    409 `service_not_offered` if this year's catalogue does not offer the service.
    """
    request = await service.request(body.member_id, body.service_type, body.summary, body.standard)
    return _request(request)


@router.get("/support-requests", summary="List support requests")
async def list_requests(
    service: Service,
    member_id: str | None = None,
    request_status: Annotated[RequestStatus | None, Query(alias="status")] = None,
    service_type: ServiceType | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> SupportRequestPage:
    """Requests, newest first; a member user sees its own company's only."""
    items, total = await service.search_requests(
        member_id=member_id,
        status=request_status,
        service_type=service_type,
        page=page,
        page_size=page_size,
    )
    return SupportRequestPage.of([_request(r) for r in items], total, page, page_size)


@router.get("/support-requests/{request_id}", summary="Get a support request")
async def get_request(request_id: str, service: Service) -> SupportRequestRead:
    """One request."""
    return _request(await service.get_request(request_id))


@router.post("/support-requests/{request_id}/status", summary="Move a support request")
async def move_request(
    request_id: str, body: SupportMove, service: Service, actor: Actor
) -> SupportRequestRead:
    """`submitted -> triaged`, `matched -> engaged -> completed`, or `declined`; 409 otherwise."""
    request = await service.move(request_id, RequestStatus(body.status), body.note, actor=actor)
    return _request(request)


@router.post("/support-requests/{request_id}/match", summary="Match a provider")
async def match_request(
    request_id: str, body: MatchWrite, service: Service, actor: Actor
) -> SupportRequestRead:
    """Only an active provider of the service; emits `support_request.matched`."""
    return _request(await service.match(request_id, body.provider_id, actor=actor))


@router.post("/support-requests/{request_id}/feedback", summary="Rate a completed engagement")
async def rate_request(request_id: str, body: RatingWrite, service: Service) -> SupportRequestRead:
    """Once per request; feeds the provider's score. Emits `support_request.rated`."""
    return _request(await service.rate(request_id, body.rating, body.comment))
