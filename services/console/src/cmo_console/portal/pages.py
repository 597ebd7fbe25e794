"""The member portal: the company's own profile, inbox, funding matches, certificates, invoices.

Every call names the visitor's own company or contact; the gateway refuses anything else,
and the console answers such a refusal as "not found", so nothing of another company shows.
"""

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..gateway import ApiError, Gateway, SignedOut
from ..pages import back, refused, render, words
from ..session import check_csrf, visitor

router = APIRouter()


async def _or_empty(call) -> Any:
    try:
        return await call
    except ApiError:
        return None


async def home(request: Request) -> HTMLResponse:
    """A member user's start page."""
    who = visitor(request)
    if who is None or who.member_id is None:
        raise SignedOut
    gateway: Gateway = request.app.state.gateway
    get = gateway.get
    company, inbox, matches, certificates, invoices = await asyncio.gather(
        _or_empty(get(request, f"/members/{who.member_id}")),
        _or_empty(get(request, f"/inbox/{who.contact_id}", page_size=10)),
        _or_empty(get(request, "/matches", member_id=who.member_id, page_size=20)),
        _or_empty(get(request, "/certificates", member_id=who.member_id, page_size=20)),
        _or_empty(get(request, "/fees/invoices", member_id=who.member_id, page_size=10)),
    )
    calls = {}
    for match in (matches or {}).get("items", []):
        calls[match["call_id"]] = await _or_empty(get(request, f"/calls/{match['call_id']}"))
    return render(
        request,
        "portal/home.html",
        company=company,
        inbox=inbox,
        matches=matches,
        calls=calls,
        certificates=certificates,
        invoices=invoices,
    )


@router.post("/funding/calls/{call_id}/interest")
async def interest(
    request: Request,
    call_id: str,
    csrf: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """The company is interested in a call it matched: an application is opened."""
    check_csrf(request, csrf)
    who = visitor(request)
    if who is None or who.member_id is None:
        raise SignedOut
    body = {"member_id": who.member_id}
    _ = words(request)
    try:
        await request.app.state.gateway.post(request, f"/calls/{call_id}/interest", body)
    except ApiError as error:
        return refused(request, "/", error)
    return back(request, "/", _("Your interest was sent; the CMO will contact you."))


@router.get("/preferences", response_class=HTMLResponse)
async def preferences(request: Request) -> HTMLResponse:
    """Which topics reach the visitor by email and in the inbox, and the daily digest."""
    who = visitor(request)
    if who is None:
        raise SignedOut
    if who.contact_id is None:
        raise ApiError(404, "not_found", "no contact")
    gateway: Gateway = request.app.state.gateway
    found = await gateway.get(request, f"/preferences/{who.contact_id}")
    return render(request, "portal/preferences.html", preferences=found)


@router.post("/preferences")
async def save_preferences(request: Request) -> RedirectResponse:
    """Save the choices; topics everyone must receive stay on."""
    who = visitor(request)
    if who is None or who.contact_id is None:
        raise SignedOut
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    topics = [str(t) for t in form.getlist("topic")][:50]
    body = {
        "channels": {
            t: {"email": f"{t}.email" in form, "inbox": f"{t}.inbox" in form} for t in topics
        },
        "digest": "digest" in form,
    }
    _ = words(request)
    try:
        await request.app.state.gateway.call(
            request, "PUT", f"/preferences/{who.contact_id}", json=body
        )
    except ApiError as error:
        return refused(request, "/preferences", error)
    return back(request, "/preferences", _("Your choices are saved."))
