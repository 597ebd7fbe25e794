"""Advocacy: consultations, adopted positions, the engagement log, news and industry reports."""

from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..gateway import ApiError, Gateway, SignedOut
from ..listing import N_, Column, Filter, Listing, add_listing
from ..pages import back, refused, render, words
from ..session import check_csrf, visitor

router = APIRouter()
STAGES = (
    "public_consultation", "registered", "committee", "reading_1", "reading_2", "reading_3",
    "adopted", "signed", "published", "rejected", "withdrawn",
)  # fmt: skip
add_listing(
    router,
    "/advocacy/legislation",
    Listing(
        N_("Legislation tracker"),
        "/initiatives",
        (
            Column(N_("Initiative"), "title", "title"),
            Column(N_("Stage"), "stage", "word"),
            Column(N_("Committee"), "committee"),
            Column(N_("Next deadline"), "next_deadline", "day"),
            Column(N_("Sectors"), "sectors", "list"),
        ),
        (Filter("stage", N_("Stage"), STAGES),),
    ),
)
add_listing(
    router,
    "/advocacy/consultations",
    Listing(
        N_("Consultations"),
        "/consultations",
        (
            Column(
                N_("Consultation"),
                "title",
                "title",
                link="/advocacy/consultations/{consultation_id}",
            ),
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


def bars(counts: dict[str, str]) -> list[tuple[str, Decimal, int]]:
    """Each option's weighted count and its bar's length in percent of the largest."""
    values = {option: Decimal(count) for option, count in counts.items()}
    largest = max(values.values(), default=Decimal(0)) or Decimal(1)
    return [(o, v, int(v / largest * 100)) for o, v in values.items()]


@router.get("/advocacy/consultations/{consultation_id}", response_class=HTMLResponse)
async def consultation(request: Request, consultation_id: str) -> HTMLResponse:
    """A consultation's questions, turnout and, once closed, its tally as a chart."""
    gateway: Gateway = request.app.state.gateway
    found = await gateway.get(request, f"/consultations/{consultation_id}")
    questions = {q["question_id"]: q for q in found["questions"]}
    tally = [(questions.get(t["question_id"]), t, bars(t["counts"])) for t in found["tally"] or []]
    return render(request, "advocacy/consultation.html", consultation=found, tally=tally)


@router.post("/advocacy/consultations/{consultation_id}/answers")
async def answer(request: Request, consultation_id: str) -> RedirectResponse:
    """The company's answers (answering again replaces them until the consultation closes)."""
    who = visitor(request)
    if who is None or who.member_id is None:
        raise SignedOut
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    answers = {
        str(key)[2:]: str(value).strip()
        for key, value in form.multi_items()
        if str(key).startswith("q_") and str(value).strip()
    }
    body = {"member_id": who.member_id, "answers": answers}
    _ = words(request)
    address = f"/advocacy/consultations/{consultation_id}"
    try:
        await request.app.state.gateway.post(
            request, f"/consultations/{consultation_id}/responses", body
        )
    except ApiError as error:
        return refused(request, address, error)
    return back(request, address, _("Your answers are recorded."))


@router.post("/advocacy/consultations/{consultation_id}/close")
async def close(request: Request, consultation_id: str) -> RedirectResponse:
    """Close the consultation: the answers are tallied against the quorum."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    _ = words(request)
    address = f"/advocacy/consultations/{consultation_id}"
    try:
        await request.app.state.gateway.post(request, f"/consultations/{consultation_id}/close")
    except ApiError as error:
        return refused(request, address, error)
    return back(request, address, _("Closed and tallied."))
