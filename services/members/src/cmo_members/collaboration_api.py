"""HTTP API of the collaboration board."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from cmo_shared.http import ERROR_RESPONSES, IsoDate, Page, PageSize
from cmo_shared.identity import Actor, CorrelationId
from cmo_shared.nace import NaceCode
from cmo_shared.text import text
from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from .collaboration import Category, PostKind
from .collaboration_service import CollaborationService

router = APIRouter(prefix="/collaboration", tags=["collaboration"], responses=ERROR_RESPONSES)
Tag = text(80, lower=True)

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = text(4000)


def _service(request: Request) -> CollaborationService:
    return request.app.state.collaboration


Service = Annotated[CollaborationService, Depends(_service)]


class PostWrite(BaseModel):
    """A member's request or offer for collaboration."""

    model_config = ConfigDict(extra="forbid")

    member_id: str
    kind: PostKind
    category: Category
    title: text(200)
    description: Text
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    sectors: list[NaceCode] = Field(
        default_factory=list, max_length=20, description="NACE code prefixes, e.g. `10.5`."
    )
    markets: list[Country] = Field(
        default_factory=list, max_length=50, description="Target markets, for joint export."
    )
    expires_on: IsoDate | None = Field(
        None, description="Last day the post is open; a day already past is refused (409)."
    )


class MatchRead(BaseModel):
    """A member the post was matched with, the answering post if any, and why."""

    member_id: str
    post_id: str | None
    reasons: list[str]


class PostRead(BaseModel):
    """A post on the board, with its matches."""

    model_config = ConfigDict(extra="ignore")

    post_id: str
    member_id: str
    kind: PostKind
    category: Category
    title: str
    description: str
    tags: list[str]
    sectors: list[str]
    markets: list[str]
    expires_on: date | None
    status: Literal["open", "closed"]
    posted_at: datetime
    closed_by: str | None
    close_reason: str | None
    matches: list[MatchRead]


class PostPage(BaseModel):
    """A page of posts."""

    items: list[PostRead]
    total: int
    page: int
    page_size: int


class InterestWrite(BaseModel):
    """A member's interest in a post."""

    model_config = ConfigDict(extra="forbid")

    member_id: str
    message: text(2000, min_length=0) | None = None


class InterestRead(BaseModel):
    """A member interested in a post."""

    post_id: str
    member_id: str
    message: str | None
    expressed_at: datetime


class CloseWrite(BaseModel):
    """Why a post is closed."""

    model_config = ConfigDict(extra="forbid")

    reason: text(500, min_length=0) | None = None


def _post(document: dict[str, Any]) -> PostRead:
    return PostRead(post_id=document["_id"], **document)


@router.post("/posts", status_code=status.HTTP_201_CREATED, summary="Post a request or offer")
async def create_post(
    body: PostWrite, service: Service, actor: Actor, correlation_id: CorrelationId
) -> PostRead:
    """Publish a post and match it against members' profiles and open posts.

    Emits `collaboration.posted` and one `collaboration.matched` per matched member.
    """
    fields = body.model_dump(mode="json")
    return _post(await service.post(fields, actor=actor, correlation_id=correlation_id))


@router.get("/posts", summary="List posts")
async def list_posts(
    service: Service,
    kind: PostKind | None = None,
    category: Category | None = None,
    tag: Tag | None = None,
    sector: NaceCode | None = None,
    member_id: str | None = None,
    matched_member_id: Annotated[
        str | None, Query(description="Posts matched with this member.")
    ] = None,
    post_status: Annotated[Literal["open", "closed"] | None, Query(alias="status")] = "open",
    page: Page = 1,
    page_size: PageSize = 20,
) -> PostPage:
    """Posts, newest first, filtered by kind, category, tag, sector, author, match or status."""
    query: dict[str, Any] = {}
    for name, value in (
        ("kind", kind),
        ("category", category),
        ("tags", tag),
        ("sectors", sector),
        ("member_id", member_id),
        ("matches.member_id", matched_member_id),
        ("status", post_status),
    ):
        if value is not None:
            query[name] = str(value)
    items, total = await service.search(query, skip=(page - 1) * page_size, limit=page_size)
    return PostPage(items=[_post(d) for d in items], total=total, page=page, page_size=page_size)


@router.get("/posts/{post_id}", summary="Get a post")
async def get_post(post_id: str, service: Service) -> PostRead:
    """One post with its matches."""
    return _post(await service.get(post_id))


@router.post(
    "/posts/{post_id}/interest",
    status_code=status.HTTP_201_CREATED,
    summary="Express interest in a post",
)
async def express_interest(
    post_id: str, body: InterestWrite, service: Service, correlation_id: CorrelationId
) -> InterestRead:
    """A member in good standing answers a post; emits `collaboration.interest_expressed`."""
    document = await service.express_interest(
        post_id, body.member_id, body.message, correlation_id=correlation_id
    )
    return InterestRead(**document)


@router.get("/posts/{post_id}/interest", summary="List members interested in a post")
async def list_interest(
    post_id: str, service: Service, page: Page = 1, page_size: PageSize = 20
) -> list[InterestRead]:
    """Who answered the post, first come first."""
    documents = await service.interests(post_id, skip=(page - 1) * page_size, limit=page_size)
    return [InterestRead(**d) for d in documents]


@router.post("/posts/{post_id}/close", summary="Close a post")
async def close_post(
    post_id: str, body: CloseWrite, service: Service, actor: Actor, correlation_id: CorrelationId
) -> PostRead:
    """The author or staff close the post; emits `collaboration.closed`."""
    closed = await service.close(
        post_id, actor=actor, reason=body.reason, correlation_id=correlation_id
    )
    return _post(closed)
