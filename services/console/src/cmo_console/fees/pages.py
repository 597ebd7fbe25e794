"""Membership fees: invoices by year and status (a member user sees its own)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from ..gateway import ApiError
from ..listing import N_, Column, Filter, Listing, add_listing
from ..pages import back, refused, words
from ..session import check_csrf

router = APIRouter()
add_listing(
    router,
    "/fees/invoices",
    Listing(
        N_("Invoices"),
        "/fees/invoices",
        (
            Column(N_("Member"), "member_id", link="/members/{member_id}"),
            Column(N_("Year"), "year"),
            Column(N_("Amount"), "amount", "money"),
            Column(N_("Outstanding"), "outstanding", "money"),
            Column(N_("Due"), "due_date", "day"),
            Column(N_("Status"), "status", "word"),
        ),
        (Filter("status", N_("Status"), ("open", "overdue", "paid")),),
        own="member_id",
        staff_actions="fees/actions.html",
    ),
)


@router.post("/fees/invoicing/run")
async def run_invoicing(
    request: Request,
    year: Annotated[int, Form(ge=2000, le=2100)],
    csrf: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Issue the year's invoices to every member in good standing (once each)."""
    check_csrf(request, csrf)
    _ = words(request)
    try:
        result = await request.app.state.gateway.post(request, "/fees/invoicing/run", year=year)
    except ApiError as error:
        return refused(request, "/fees/invoices", error)
    issued, before = _("Invoices issued"), _("already invoiced")
    summary = f"{issued}: {result['issued']} ({before}: {result['already_issued']})"
    return back(request, f"/fees/invoices?year={year}", summary)
