"""HTTP API of news, and its public feeds."""

from typing import Annotated, Literal

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, Response, status
from fastapi.responses import JSONResponse

from .domain import NewsStatus
from .feeds import atom, json_feed
from .schemas import NewsPage, NewsRead, NewsWrite
from .service import NewsService

router = APIRouter(tags=["advocacy"], responses=ERROR_RESPONSES)
Service = Annotated[NewsService, provided(NewsService)]
Language = Literal["ka", "en"]


@router.post("/news", status_code=status.HTTP_201_CREATED, summary="Draft a news item")
async def draft(body: NewsWrite, service: Service, actor: Actor) -> NewsRead:
    """A draft; nothing is sent until it is published."""
    return NewsRead.model_validate(await service.draft(body.model_dump(), author=actor))


@router.post("/news/{news_id}/publish", summary="Publish a news item")
async def publish(news_id: str, service: Service) -> NewsRead:
    """Publish; emits `news.published` (members told, low priority, digest)."""
    return NewsRead.model_validate(await service.publish(news_id))


@router.get("/news", summary="List news")
async def search(
    service: Service,
    status: NewsStatus | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> NewsPage:
    """News, newest first."""
    items, total = await service.search(status=status, page=page, page_size=page_size)
    return NewsPage.of([NewsRead.model_validate(i) for i in items], total, page, page_size)


@router.get(
    "/news/feed.atom",
    summary="Atom feed of published news",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}},
)
async def atom_feed(service: Service, lang: Language = "ka") -> Response:
    """The latest 50 published items in one language (RFC 4287)."""
    body = atom(await service.feed(), lang, base=service.public_url, author=service.cmo_name)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get(
    "/news/feed.json",
    summary="JSON Feed of published news",
    response_class=JSONResponse,
    responses={200: {"content": {"application/feed+json": {}}}},
)
async def json_news_feed(service: Service, lang: Language = "ka") -> JSONResponse:
    """The latest 50 published items in one language (JSON Feed 1.1)."""
    body = json_feed(await service.feed(), lang, base=service.public_url, author=service.cmo_name)
    return JSONResponse(body, media_type="application/feed+json")


@router.get("/news/{news_id}", summary="Get a news item")
async def get(news_id: str, service: Service) -> NewsRead:
    """One news item."""
    return NewsRead.model_validate(await service.get(news_id))
