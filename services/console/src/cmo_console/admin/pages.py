"""Administration: the audit log of every state-changing request, and the accounts."""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from ..gateway import ApiError
from ..listing import N_, Column, Filter, Listing, add_listing
from ..pages import back, refused, words
from ..session import check_csrf

router = APIRouter()
add_listing(
    router,
    "/admin/audit",
    Listing(
        N_("Audit log"),
        "/audit",
        (
            Column(N_("When"), "at", "when"),
            Column(N_("Who"), "login"),
            Column(N_("Role"), "role", "word"),
            Column(N_("Request"), "method"),
            Column(N_("Path"), "path"),
            Column(N_("Answer"), "status"),
            Column(N_("Outcome"), "outcome", "word"),
            Column(N_("Correlation id"), "correlation_id"),
        ),
        (Filter("outcome", N_("Outcome"), ("success", "refused", "error")),),
    ),
)
add_listing(
    router,
    "/admin/users",
    Listing(
        N_("Accounts"),
        "/users",
        (
            Column(N_("Login"), "login"),
            Column(N_("Name"), "name"),
            Column(N_("Role"), "role", "word"),
            Column(N_("Member"), "member_id"),
            Column(N_("Disabled"), "disabled"),
            Column(N_("Created"), "created_at", "day"),
        ),
        staff_actions="admin/invite.html",
    ),
)


@router.post("/admin/invitations")
async def invite(
    request: Request,
    login: Annotated[str, Form(max_length=254)],
    role: Annotated[Literal["staff", "admin", "member"], Form()],
    csrf: Annotated[str, Form()] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    member_id: Annotated[str, Form(max_length=100)] = "",
    language: Annotated[Literal["ka", "en"], Form()] = "ka",
) -> RedirectResponse:
    """Invite a person: the gateway emails them a link to choose their password."""
    check_csrf(request, csrf)
    _ = words(request)
    body: dict[str, str] = {"login": login.strip(), "role": role, "language": language}
    if name.strip():
        body["name"] = name.strip()
    if role == "member":
        body["member_id"] = member_id.strip()
    try:
        await request.app.state.gateway.post(request, "/auth/invitations", body)
    except ApiError as error:
        return refused(request, "/admin/users", error)
    sent = _("Invitation sent to")
    return back(request, "/admin/users", f"{sent} {body['login']}")


add_listing(
    router,
    "/notifications/webhooks",
    Listing(
        N_("Webhooks"),
        "/webhooks",
        (
            Column(N_("Address"), "url"),
            Column(N_("Owner"), "owner_id"),
            Column(N_("Events"), "event_types", "list"),
            Column(N_("Enabled"), "enabled"),
            Column(N_("Why disabled"), "disabled_reason"),
            Column(N_("Failing since"), "failing_since", "when"),
        ),
        paged=False,
    ),
)
