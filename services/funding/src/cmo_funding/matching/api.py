"""HTTP API of the matches between calls and members."""

from dataclasses import asdict
from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from fastapi import APIRouter

from .schemas import MatchPage, MatchRead
from .service import Matcher

router = APIRouter(tags=["funding"], responses=ERROR_RESPONSES)
Service = Annotated[Matcher, provided(Matcher)]


@router.get("/calls/{call_id}/matches", summary="Members matched with a call")
async def call_matches(
    call_id: str, matcher: Service, page: PageNumber = 1, page_size: PageSize = 20
) -> MatchPage:
    """Every member found eligible, with the criteria that held."""
    await matcher.calls.get(call_id)
    items, total = await matcher.matches.search(call_id=call_id, page=page, page_size=page_size)
    return MatchPage.of([MatchRead(**asdict(m)) for m in items], total, page, page_size)


@router.get("/matches", summary="A member's matches")
async def member_matches(
    matcher: Service, member_id: str, page: PageNumber = 1, page_size: PageSize = 20
) -> MatchPage:
    """The calls a member was found eligible for, newest first."""
    items, total = await matcher.matches.search(member_id=member_id, page=page, page_size=page_size)
    return MatchPage.of([MatchRead(**asdict(m)) for m in items], total, page, page_size)
