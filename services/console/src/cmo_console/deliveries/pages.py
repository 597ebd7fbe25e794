"""Notifications: the delivery log by status and channel, and replaying dead deliveries."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..gateway import ApiError, Gateway
from ..pages import back, refused, render, words
from ..session import check_csrf

router = APIRouter()
STATUSES = ("pending", "digest", "digested", "sent", "retrying", "dead")
PAGE_SIZE = 50


@router.get("/deliveries", response_class=HTMLResponse)
async def deliveries(
    request: Request, status: str = "", channel: str = "", page: int = 1
) -> HTMLResponse:
    """Deliveries newest first, filtered by status and channel."""
    gateway: Gateway = request.app.state.gateway
    page = max(page, 1)
    found = await gateway.get(
        request,
        "/deliveries",
        status=status or None,
        channel=channel or None,
        page=page,
        page_size=PAGE_SIZE,
    )
    return render(
        request,
        "deliveries/list.html",
        deliveries=found,
        status=status,
        channel=channel,
        statuses=STATUSES,
        page=page,
        more=len(found) == PAGE_SIZE,
    )


@router.post("/deliveries/replay")
async def replay(
    request: Request,
    csrf: Annotated[str, Form()] = "",
    delivery_id: Annotated[str, Form(max_length=100)] = "",
) -> RedirectResponse:
    """Queue dead deliveries again: one, or every dead one."""
    check_csrf(request, csrf)
    _ = words(request)
    try:
        result = await request.app.state.gateway.post(
            request, "/deliveries/replay", delivery_id=delivery_id or None
        )
    except ApiError as error:
        return refused(request, "/deliveries?status=dead", error)
    queued = _("Queued again")
    return back(request, "/deliveries", f"{queued}: {result['replayed']}")
