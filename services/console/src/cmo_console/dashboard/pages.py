"""The start page: staff see what needs a person today; member users their company's home."""

import asyncio
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..gateway import ApiError, Gateway, SignedOut
from ..pages import render
from ..portal.pages import home
from ..session import visitor


@dataclass(frozen=True)
class Card:
    """One thing that may need a person: how many, and the page that lists them."""

    label: str
    path: str
    params: dict[str, Any]
    link: str
    count_of: str = "total"


CARDS = (
    Card("Applications waiting for approval", "/members", {"status": "applicant"},
         "/members?status=applicant"),
    Card("Invoices overdue", "/fees/invoices", {"status": "overdue"},
         "/fees/invoices?status=overdue"),
    Card("Consultations open", "/consultations", {"status": "open"},
         "/advocacy/consultations?status=open"),
    Card("Sessions open for registration", "/sessions", {"status": "open"},
         "/training/sessions?status=open"),
    Card("Pools past their threshold", "/pools", {"status": "threshold_reached"},
         "/procurement/pools?status=threshold_reached"),
    Card("Tenders in evaluation", "/tenders", {"status": "evaluation"},
         "/procurement/tenders?status=evaluation"),
    Card("Funding calls published", "/calls", {"status": "published"},
         "/funding/calls?status=published"),
    Card("Dead deliveries", "/deliveries", {"status": "dead", "page_size": 100},
         "/deliveries?status=dead", count_of="list"),
)  # fmt: skip


async def _count(gateway: Gateway, request: Request, card: Card) -> int | None:
    try:
        answer = await gateway.get(request, card.path, **{"page_size": 1, **card.params})
    except ApiError:
        return None  # the card says it could not be counted; the others still show
    return len(answer) if card.count_of == "list" else answer["total"]


router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def start(request: Request) -> HTMLResponse:
    """Staff: the dashboard. Member users: their company's home."""
    who = visitor(request)
    if who is None:
        raise SignedOut
    if not who.staff:
        return await home(request)
    gateway: Gateway = request.app.state.gateway
    counts = await asyncio.gather(*(_count(gateway, request, c) for c in CARDS))
    return render(request, "dashboard/staff.html", cards=list(zip(CARDS, counts, strict=True)))
