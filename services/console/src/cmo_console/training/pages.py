"""Training: sessions with their seats, and certificates."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..gateway import ApiError, Gateway
from ..listing import N_, Column, Filter, Listing, add_listing
from ..pages import back, render, words
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
    except ApiError as refused:
        not_done = _("Not done")
        return back(request, f"/training/sessions/{session_id}", f"{not_done}: {refused.message}")
    cancelled = _("The session is cancelled; everyone registered is told.")
    return back(request, f"/training/sessions/{session_id}", cancelled)
