"""Members: the list by status, a company's page with its history, and staff decisions."""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..gateway import ApiError, Gateway
from ..pages import back, paging, render, words
from ..session import check_csrf

router = APIRouter()
STATUSES = ("applicant", "active", "grace", "suspended", "lapsed", "terminated", "rejected")
PAGE_SIZE = 20


@router.get("/members", response_class=HTMLResponse)
async def members(request: Request, status: str = "", q: str = "", page: int = 1) -> HTMLResponse:
    """Member companies found by name or tax id and status, paged as the API pages them."""
    gateway: Gateway = request.app.state.gateway
    found = await gateway.get(
        request,
        "/members",
        status=status if status in STATUSES else None,
        q=q.strip()[:100] or None,
        page=max(page, 1),
        page_size=PAGE_SIZE,
    )
    return render(
        request,
        "members/list.html",
        members=found["items"],
        pages=paging(found["page"], PAGE_SIZE, found["total"]),
        status=status,
        q=q,
        statuses=STATUSES,
    )


@router.get("/members/{member_id}", response_class=HTMLResponse)
async def member(request: Request, member_id: str) -> HTMLResponse:
    """One company: profile, contacts and history (a member user sees only its own)."""
    gateway: Gateway = request.app.state.gateway
    company = await gateway.get(request, f"/members/{member_id}")
    return render(request, "members/detail.html", company=company)


@router.post("/members/{member_id}/{command}")
async def decide(
    request: Request,
    member_id: str,
    command: Literal["approve", "reject", "suspend", "reinstate"],
    csrf: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> RedirectResponse:
    """Approve, reject, suspend or reinstate a company (with a reason where one is needed)."""
    check_csrf(request, csrf)
    _ = words(request)
    body = {"reason": reason.strip()} if reason.strip() else None
    try:
        await request.app.state.gateway.post(request, f"/members/{member_id}/{command}", body)
    except ApiError as refused:
        field = f" ({refused.field})" if refused.field else ""
        not_done = _("Not done")
        return back(request, f"/members/{member_id}", f"{not_done}{field}: {refused.message}")
    return back(request, f"/members/{member_id}", _("Done."))
