"""Training: sessions with their seats, and certificates."""

from datetime import datetime
from typing import Annotated

from cmo_shared.schedule import TBILISI
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..gateway import ApiError, Gateway, SignedOut
from ..listing import N_, Column, Filter, Listing, add_listing
from ..pages import back, language, refused, render, words
from ..session import check_csrf, visitor

router = APIRouter()
add_listing(
    router,
    "/training/sessions",
    Listing(
        N_("Training sessions"),
        "/sessions",
        (
            Column(N_("Session"), "title", "title", link="/training/sessions/{session_id}"),
            Column(N_("Format"), "format", "word"),
            Column(N_("Starts"), "sittings.0.starts_at", "when"),
            Column(N_("Venue"), "venue"),
            Column(N_("Seats"), "capacity"),
            Column(N_("Status"), "status", "word"),
        ),
        (Filter("status", N_("Status"), ("scheduled", "open", "completed", "cancelled")),),
    ),
)
add_listing(
    router,
    "/training/certificates",
    Listing(
        N_("Certificates"),
        "/certificates",
        (
            Column(N_("Name"), "name"),
            Column(N_("Session"), "title", "title"),
            Column(N_("Attendance"), "attendance", "share"),
            Column(N_("Issued"), "issued_at", "day"),
            Column(N_("Revoked"), "revoked_at", "day"),
        ),
        own="member_id",
    ),
)


@router.get("/training/plan", response_class=HTMLResponse)
async def plan(request: Request, year: int | None = None) -> HTMLResponse:
    """The annual training plan: its items and the companies whose needs each answers."""
    chosen = year or datetime.now(TBILISI).year
    gateway: Gateway = request.app.state.gateway
    try:
        found = await gateway.get(request, f"/plans/{chosen}")
    except ApiError as missing:
        if missing.status != 404:
            raise
        found = None
    return render(request, "training/plan.html", plan=found, year=chosen)


@router.get("/training/sessions/{session_id}", response_class=HTMLResponse)
async def session(request: Request, session_id: str) -> HTMLResponse:
    """A session: its sittings, seats, registrations and waitlist (a member: its own)."""
    gateway: Gateway = request.app.state.gateway
    who = visitor(request)
    found = await gateway.get(request, f"/sessions/{session_id}")
    own = None if who is None or who.staff else who.member_id
    roster = await gateway.get(request, f"/sessions/{session_id}/registrations", member_id=own)
    confirmed = sum(len(r["people"]) for r in roster if r["status"] in ("confirmed", "attended"))
    return render(
        request,
        "training/session.html",
        session=found,
        roster=roster,
        taken=confirmed,
        waiting=[r for r in roster if r["status"] == "waitlisted"],
    )


@router.post("/training/sessions/{session_id}/cancel")
async def cancel(
    request: Request,
    session_id: str,
    reason: Annotated[str, Form(min_length=1, max_length=500)],
    csrf: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Call the session off: every registration is cancelled and told."""
    check_csrf(request, csrf)
    _ = words(request)
    try:
        await request.app.state.gateway.post(
            request, f"/sessions/{session_id}/cancel", {"reason": reason.strip()}
        )
    except ApiError as error:
        return refused(request, f"/training/sessions/{session_id}", error)
    cancelled = _("The session is cancelled; everyone registered is told.")
    return back(request, f"/training/sessions/{session_id}", cancelled)


@router.post("/training/sessions/{session_id}/registrations")
async def register(request: Request, session_id: str) -> RedirectResponse:
    """Register the company's people, all or none: seats if there are, else the waitlist."""
    who = visitor(request)
    if who is None or who.member_id is None:
        raise SignedOut
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    names, emails = form.getlist("name"), form.getlist("email")
    people = [
        {"name": str(n).strip(), "email": str(e).strip(), "language": language(request)}
        for n, e in zip(names, emails, strict=False)
        if str(n).strip() or str(e).strip()
    ][:10]
    body = {"member_id": who.member_id, "people": people}
    _ = words(request)
    address = f"/training/sessions/{session_id}"
    try:
        registration = await request.app.state.gateway.post(
            request, f"/sessions/{session_id}/registrations", body
        )
    except ApiError as error:
        return refused(request, address, error)
    if registration["status"] == "confirmed":
        return back(request, address, _("Registered: the seats are yours; invitations follow."))
    return back(request, address, _("The session is full: your people are on the waitlist."))
