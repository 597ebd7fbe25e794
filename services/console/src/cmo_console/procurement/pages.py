"""Joint procurement: pools and their fill, tenders, a company's needs and its allocations."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..gateway import Gateway
from ..listing import N_, Column, Filter, Listing, add_listing
from ..pages import render

router = APIRouter()
GROUPS = ("category", "member", "supplier", "year")
add_listing(
    router,
    "/procurement/pools",
    Listing(
        N_("Demand pools"),
        "/pools",
        (
            Column(N_("Category"), "category"),
            Column(N_("Unit"), "unit"),
            Column(N_("Status"), "status", "word"),
            Column(N_("Filled"), "progress", "share"),
            Column(N_("Members"), "fill.members"),
            Column(N_("Quantity"), "fill.quantity"),
            Column(N_("Created"), "created_at", "day"),
        ),
        (
            Filter(
                "status", N_("Status"), ("collecting", "threshold_reached", "tendered", "cancelled")
            ),
        ),
    ),
)
add_listing(
    router,
    "/procurement/tenders",
    Listing(
        N_("Joint tenders"),
        "/tenders",
        (
            Column(N_("Tender"), "title", link="/procurement/tenders/{tender_id}"),
            Column(N_("Status"), "status", "word"),
            Column(N_("Deadline"), "deadline", "when"),
            Column(N_("Lots"), "lots", "count"),
            Column(N_("Offers"), "offers_received"),
        ),
        (
            Filter(
                "status",
                N_("Status"),
                ("draft", "open", "evaluation", "awarded", "closed", "cancelled"),
            ),
        ),
    ),
)
add_listing(
    router,
    "/procurement/needs",
    Listing(
        N_("Procurement needs"),
        "/needs",
        (
            Column(N_("Category"), "category"),
            Column(N_("Quantity"), "quantity"),
            Column(N_("Unit"), "unit"),
            Column(N_("Baseline unit price"), "baseline_unit_price", "money"),
            Column(N_("Wanted by"), "wanted_by", "day"),
            Column(N_("Status"), "status", "word"),
        ),
        own="member_id",
    ),
)
add_listing(
    router,
    "/procurement/allocations",
    Listing(
        N_("Allocations and savings"),
        "/allocations",
        (
            Column(N_("Tender"), "tender_title"),
            Column(N_("Category"), "category"),
            Column(N_("Allocated"), "allocated_quantity"),
            Column(N_("Unit price"), "unit_price", "money"),
            Column(N_("Baseline unit price"), "baseline_unit_price", "money"),
            Column(N_("Savings"), "savings", "money"),
        ),
        own="member_id",
    ),
)


@router.get("/procurement/tenders/{tender_id}", response_class=HTMLResponse)
async def tender(request: Request, tender_id: str) -> HTMLResponse:
    """A tender and, once offers are opened, the comparison of offers per lot."""
    gateway: Gateway = request.app.state.gateway
    found = await gateway.get(request, f"/tenders/{tender_id}")
    comparison = None
    if not found["sealed"]:
        comparison = await gateway.get(request, f"/tenders/{tender_id}/comparison")
    return render(request, "procurement/tender.html", tender=found, comparison=comparison)


@router.get("/procurement/savings", response_class=HTMLResponse)
async def savings(
    request: Request, group_by: str = "category", year: int | None = None
) -> HTMLResponse:
    """Planned and realised savings of joint procurement, by category, member or tender."""
    gateway: Gateway = request.app.state.gateway
    chosen = group_by if group_by in GROUPS else "category"
    report = await gateway.get(request, "/savings/report", group_by=chosen, year=year)
    return render(
        request, "procurement/savings.html", report=report, groups=GROUPS, group_by=chosen
    )
