"""Advocacy: consultations, adopted positions, the engagement log, news and industry reports."""

from fastapi import APIRouter

from ..listing import N_, Column, Filter, Listing, add_listing

router = APIRouter()
add_listing(
    router,
    "/advocacy/consultations",
    Listing(
        N_("Consultations"),
        "/consultations",
        (
            Column(N_("Consultation"), "title", "title"),
            Column(N_("Closes"), "closes_at", "when"),
            Column(N_("Answered"), "responded"),
            Column(N_("Members asked"), "electorate_size"),
            Column(N_("Status"), "status", "word"),
        ),
        (Filter("status", N_("Status"), ("open", "closed", "position_adopted")),),
        own="member_id",
    ),
)
add_listing(
    router,
    "/advocacy/positions",
    Listing(
        N_("Positions"),
        "/positions",
        (
            Column(N_("Position"), "title", "title"),
            Column(N_("Sectors"), "sectors", "list"),
            Column(N_("Adopted"), "adopted_at", "day"),
        ),
    ),
)
add_listing(
    router,
    "/advocacy/engagements",
    Listing(
        N_("Engagement log"),
        "/engagements",
        (
            Column(N_("On"), "on", "day"),
            Column(N_("Kind"), "kind", "word"),
            Column(N_("With"), "target_body"),
            Column(N_("Subject"), "subject"),
            Column(N_("Outcome"), "outcome"),
            Column(N_("Follow up on"), "follow_up_on", "day"),
        ),
    ),
)
add_listing(
    router,
    "/advocacy/news",
    Listing(
        N_("News"),
        "/news",
        (
            Column(N_("Title"), "title", "title"),
            Column(N_("Status"), "status", "word"),
            Column(N_("Published"), "published_at", "when"),
        ),
        (Filter("status", N_("Status"), ("draft", "published")),),
    ),
)
add_listing(
    router,
    "/advocacy/reports",
    Listing(
        N_("Industry reports"),
        "/reports",
        (
            Column(N_("Report"), "title", "title"),
            Column(N_("Period"), "period"),
            Column(N_("Companies"), "companies"),
            Column(N_("Status"), "status", "word"),
            Column(N_("Published"), "published_at", "day"),
        ),
    ),
)
