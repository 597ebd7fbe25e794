"""HTTP API of the collaboration board."""

from dataclasses import asdict
from typing import Annotated, Literal

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from cmo_shared.nace import NaceCode
from fastapi import APIRouter, Query, status

from .domain import Category, Post, PostKind
from .schemas import CloseWrite, InterestRead, InterestWrite, PostPage, PostRead, PostWrite, Tag
from .service import CollaborationService

router = APIRouter(prefix="/collaboration", tags=["collaboration"], responses=ERROR_RESPONSES)
Service = Annotated[CollaborationService, provided(CollaborationService)]


def _post(post: Post) -> PostRead:
    return PostRead.model_validate(asdict(post))


@router.post("/posts", status_code=status.HTTP_201_CREATED, summary="Post a request or offer")
async def create_post(body: PostWrite, service: Service, actor: Actor) -> PostRead:
    """Publish a post and match it against members' profiles and open posts.

    Emits `collaboration.posted` and one `collaboration.matched` per matched member.
    """
    fields = body.model_dump(mode="json")
    return _post(await service.post(fields, actor=actor))


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
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> PostPage:
    """Posts, newest first, filtered by kind, category, tag, sector, author, match or status."""
    filters: dict[str, str] = {}
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
            filters[name] = str(value)
    items, total = await service.search(filters, page=page, page_size=page_size)
    return PostPage.of([_post(p) for p in items], total, page, page_size)


@router.get("/posts/{post_id}", summary="Get a post")
async def get_post(post_id: str, service: Service) -> PostRead:
    """One post with its matches."""
    return _post(await service.get(post_id))


@router.post(
    "/posts/{post_id}/interest",
    status_code=status.HTTP_201_CREATED,
    summary="Express interest in a post",
)
async def express_interest(post_id: str, body: InterestWrite, service: Service) -> InterestRead:
    """A member in good standing answers a post; emits `collaboration.interest_expressed`."""
    interest = await service.express_interest(post_id, body.member_id, body.message)
    return InterestRead.model_validate(asdict(interest))


@router.get("/posts/{post_id}/interest", summary="List members interested in a post")
async def list_interest(
    post_id: str, service: Service, page: PageNumber = 1, page_size: PageSize = 20
) -> list[InterestRead]:
    """Who answered the post, first come first."""
    interests = await service.interests_in(post_id, page=page, page_size=page_size)
    return [InterestRead.model_validate(asdict(i)) for i in interests]


@router.post("/posts/{post_id}/close", summary="Close a post")
async def close_post(post_id: str, body: CloseWrite, service: Service, actor: Actor) -> PostRead:
    """The author or staff close the post; emits `collaboration.closed`."""
    return _post(await service.close(post_id, actor=actor, reason=body.reason))
