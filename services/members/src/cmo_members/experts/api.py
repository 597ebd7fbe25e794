"""HTTP API of the experts directory and of members' requests for experts."""

from dataclasses import asdict
from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize, given
from cmo_shared.identity import Actor
from fastapi import APIRouter, status

from .domain import Expert, ExpertRequest
from .schemas import (
    Availability,
    Country,
    ExpertPage,
    ExpertRead,
    ExpertRequestRead,
    ExpertRequestWrite,
    ExpertWrite,
    Language,
    MatchWrite,
    Tag,
)
from .service import ExpertService

Service = Annotated[ExpertService, provided(ExpertService)]
experts_router = APIRouter(prefix="/experts", tags=["experts"], responses=ERROR_RESPONSES)
# Requests have a collection of their own: under `/experts` they would share paths with
# `/experts/{expert_id}`.
requests_router = APIRouter(prefix="/expert-requests", tags=["experts"], responses=ERROR_RESPONSES)


def _expert(expert: Expert) -> ExpertRead:
    return ExpertRead(**asdict(expert), scope=expert.scope)


def _request(request: ExpertRequest) -> ExpertRequestRead:
    return ExpertRequestRead.model_validate(asdict(request))


@experts_router.post("", status_code=status.HTTP_201_CREATED, summary="Add an expert")
async def add_expert(body: ExpertWrite, service: Service) -> ExpertRead:
    """Add a local or international engineer or technology expert."""
    return _expert(await service.add(body))


@experts_router.get("", summary="Search experts")
async def search_experts(
    service: Service,
    tag: Tag | None = None,
    language: Language | None = None,
    country: Country | None = None,
    availability: Availability | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> ExpertPage:
    """Experts by expertise tag, language, country and availability."""
    filters = given(expertise=tag, languages=language, country=country, availability=availability)
    items, total = await service.search(filters, page=page, page_size=page_size)
    return ExpertPage.of([_expert(e) for e in items], total, page, page_size)


@experts_router.get("/{expert_id}", summary="Get an expert")
async def get_expert(expert_id: str, service: Service) -> ExpertRead:
    """One expert."""
    return _expert(await service.get(expert_id))


@requests_router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Request an expert for a need"
)
async def request_expert(body: ExpertRequestWrite, service: Service) -> ExpertRequestRead:
    """A member in good standing asks for an expert; emits `expert.requested`."""
    return _request(await service.request(body))


@requests_router.post("/{request_id}/match", summary="Match an expert to a request")
async def match_expert(
    request_id: str, body: MatchWrite, service: Service, actor: Actor
) -> ExpertRequestRead:
    """Staff record which expert takes the request; emits `expert.matched`."""
    return _request(await service.match(request_id, body.expert_id, actor=actor))


router = APIRouter()
router.include_router(experts_router)
router.include_router(requests_router)
