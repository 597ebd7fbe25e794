"""Joint procurement: pools and their fill, tenders, a company's needs and its allocations."""

from fastapi import APIRouter

from ..listing import N_, Column, Filter, Listing, add_listing

router = APIRouter()
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
            Column(N_("Tender"), "title"),
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
