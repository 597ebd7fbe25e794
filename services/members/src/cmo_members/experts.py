"""The directory of local and international engineers and technology experts, and requests."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import uuid4

from cmo_shared.errors import Conflict, NotFound
from cmo_shared.events.members import ExpertMatched, ExpertRequested
from cmo_shared.http import ERROR_RESPONSES, Page, PageSize
from cmo_shared.identity import Actor, CorrelationId
from cmo_shared.locks import DocumentLocks
from cmo_shared.money import amount
from cmo_shared.outbox import OutboxRelay, outbox_entries, push_events
from cmo_shared.text import text
from cmo_shared.vocabulary import Email
from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from .handlers import members_event
from .repository import MemberRepository

EXPERTS = "experts"
EXPERT_REQUESTS = "expert_requests"
Tag = text(80, lower=True)
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Availability = Literal["available", "busy", "unavailable"]

router = APIRouter(prefix="/experts", tags=["experts"], responses=ERROR_RESPONSES)


class ExpertWrite(BaseModel):
    """An engineer or technology expert in the directory."""

    model_config = ConfigDict(extra="forbid")

    name: text(200)
    email: Email
    country: Country = Field(description="ISO 3166 alpha-2, e.g. `GE`, `DE`.")
    expertise: list[Tag] = Field(min_length=1, max_length=30)
    languages: list[Language] = Field(min_length=1, max_length=10, description="ISO 639-1.")
    availability: Availability = "available"
    daily_rate: amount(digits=8) | None = None  # type: ignore[valid-type]
    rate_currency: Literal["GEL", "EUR", "USD"] = "GEL"


class ExpertRead(ExpertWrite):
    """An expert with its id; `scope` tells local (Georgia) from international."""

    model_config = ConfigDict(extra="ignore")

    expert_id: str
    scope: Literal["local", "international"]


class ExpertPage(BaseModel):
    """A page of experts."""

    items: list[ExpertRead]
    total: int
    page: int
    page_size: int


class ExpertRequestWrite(BaseModel):
    """A member's request for an expert."""

    model_config = ConfigDict(extra="forbid")

    member_id: str
    need: text(2000)
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    expert_id: str | None = None


class MatchWrite(BaseModel):
    """The expert staff matched to a request."""

    model_config = ConfigDict(extra="forbid")

    expert_id: str


class ExpertRequestRead(BaseModel):
    """An expert request and its state."""

    request_id: str
    member_id: str
    need: str
    tags: list[str]
    expert_id: str | None
    status: Literal["open", "matched"]
    matched_by: str | None = None


class ExpertService:
    """Experts and members' requests for them."""

    def __init__(
        self,
        db: AsyncDatabase,
        members: MemberRepository,
        relay: OutboxRelay,
        locks: DocumentLocks,
    ) -> None:
        self._experts = db[EXPERTS]
        self._requests = db[EXPERT_REQUESTS]
        self._members = members
        self._relay = relay
        self._locks = locks

    async def ensure_indexes(self) -> None:
        """Searches filter by country and expertise."""
        await self._experts.create_index([("country", ASCENDING)])
        await self._requests.create_index([("member_id", ASCENDING)])

    async def add(self, expert: ExpertWrite) -> dict[str, Any]:
        """Add an expert to the directory."""
        document = {
            "_id": str(uuid4()),
            **expert.model_dump(mode="json"),
            "scope": "local" if expert.country == "GE" else "international",
            "added_at": datetime.now(UTC),
        }
        await self._experts.insert_one(document)
        return document

    async def get(self, expert_id: str) -> dict[str, Any]:
        """One expert, or `NotFound`."""
        document = await self._experts.find_one({"_id": expert_id})
        if document is None:
            raise NotFound(f"expert {expert_id} not found", field="expert_id")
        return document

    async def search(
        self, query: dict[str, Any], *, skip: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """Experts matching the query, by name."""
        total = await self._experts.count_documents(query)
        cursor = self._experts.find(query).sort("name", ASCENDING).skip(skip).limit(limit)
        return await cursor.to_list(None), total

    async def request(self, body: ExpertRequestWrite, *, correlation_id: str) -> dict[str, Any]:
        """Record a member's request; emits `expert.requested`."""
        await self._members.get_in_good_standing(body.member_id)
        if body.expert_id is not None:
            await self.get(body.expert_id)
        request_id = str(uuid4())
        event = members_event(
            ExpertRequested(request_id=request_id, **body.model_dump()),
            subject_id=body.member_id,
            correlation_id=correlation_id,
        )
        document = {
            "_id": request_id,
            **body.model_dump(),
            "status": "open",
            "matched_by": None,
            "requested_at": datetime.now(UTC),
            "outbox": outbox_entries([event]),
        }
        await self._requests.insert_one(document)
        self._relay.wake()
        return document

    async def match(
        self, request_id: str, expert_id: str, *, actor: str, correlation_id: str
    ) -> dict[str, Any]:
        """Record the expert matched to a request; emits `expert.matched`."""
        expert = await self.get(expert_id)
        async with self._locks(EXPERT_REQUESTS, request_id):
            request = await self._requests.find_one({"_id": request_id}, {"outbox": 0})
            if request is None:
                raise NotFound(f"expert request {request_id} not found", field="request_id")
            if request["status"] != "open":
                raise Conflict("the request is already matched", field="status")
            event = members_event(
                ExpertMatched(
                    request_id=request_id,
                    member_id=request["member_id"],
                    expert_id=expert_id,
                    expert_name=expert["name"],
                ),
                subject_id=request["member_id"],
                correlation_id=correlation_id,
            )
            changes = {"status": "matched", "expert_id": expert_id, "matched_by": actor}
            await self._requests.update_one(
                {"_id": request_id}, {"$set": changes, "$push": push_events([event])}
            )
        self._relay.wake()
        return {**request, **changes}


def _service(request: Request) -> ExpertService:
    return request.app.state.experts


Service = Annotated[ExpertService, Depends(_service)]


def _expert(document: dict[str, Any]) -> ExpertRead:
    return ExpertRead(expert_id=document["_id"], **document)


def _request(document: dict[str, Any]) -> ExpertRequestRead:
    return ExpertRequestRead(request_id=document["_id"], **document)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Add an expert")
async def add_expert(body: ExpertWrite, service: Service) -> ExpertRead:
    """Add a local or international engineer or technology expert."""
    return _expert(await service.add(body))


@router.get("", summary="Search experts")
async def search_experts(
    service: Service,
    tag: Tag | None = None,
    language: Language | None = None,
    country: Country | None = None,
    availability: Availability | None = None,
    page: Page = 1,
    page_size: PageSize = 20,
) -> ExpertPage:
    """Experts by expertise tag, language, country and availability."""
    query: dict[str, Any] = {}
    if tag is not None:
        query["expertise"] = tag
    if language is not None:
        query["languages"] = language
    if country is not None:
        query["country"] = country
    if availability is not None:
        query["availability"] = availability
    items, total = await service.search(query, skip=(page - 1) * page_size, limit=page_size)
    return ExpertPage(
        items=[_expert(d) for d in items], total=total, page=page, page_size=page_size
    )


@router.get("/{expert_id}", summary="Get an expert")
async def get_expert(expert_id: str, service: Service) -> ExpertRead:
    """One expert."""
    return _expert(await service.get(expert_id))


# Requests have a collection of their own: under `/experts` they would share paths with
# `/experts/{expert_id}`.
requests_router = APIRouter(prefix="/expert-requests", tags=["experts"], responses=ERROR_RESPONSES)


@requests_router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Request an expert for a need"
)
async def request_expert(
    body: ExpertRequestWrite, service: Service, correlation_id: CorrelationId
) -> ExpertRequestRead:
    """A member in good standing asks for an expert; emits `expert.requested`."""
    return _request(await service.request(body, correlation_id=correlation_id))


@requests_router.post("/{request_id}/match", summary="Match an expert to a request")
async def match_expert(
    request_id: str,
    body: MatchWrite,
    service: Service,
    actor: Actor,
    correlation_id: CorrelationId,
) -> ExpertRequestRead:
    """Staff record which expert takes the request; emits `expert.matched`."""
    matched = await service.match(
        request_id, body.expert_id, actor=actor, correlation_id=correlation_id
    )
    return _request(matched)
