"""Members: the list by status, a company's page with its history, and staff decisions."""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..gateway import ApiError, Gateway
from ..pages import back, paging, refused, render, words
from ..session import check_csrf

router = APIRouter()
STATUSES = ("applicant", "active", "grace", "suspended", "lapsed", "terminated", "rejected")
PAGE_SIZE = 20


@router.get("/members", response_class=HTMLResponse)
async def members(request: Request, status: str = "", q: str = "", page: int = 1) -> HTMLResponse:
    """Member companies found by name or tax id and status, paged as the API pages them."""
    gateway: Gateway = request.app.state.gateway
    found = await gateway.get(
        request,
        "/members",
        status=status if status in STATUSES else None,
        q=q.strip()[:100] or None,
        page=max(page, 1),
        page_size=PAGE_SIZE,
    )
    return render(
        request,
        "members/list.html",
        members=found["items"],
        pages=paging(found["page"], PAGE_SIZE, found["total"]),
        status=status,
        q=q,
        statuses=STATUSES,
    )


@router.get("/members/{member_id}", response_class=HTMLResponse)
async def member(request: Request, member_id: str) -> HTMLResponse:
    """One company: profile, contacts and history (a member user sees only its own)."""
    gateway: Gateway = request.app.state.gateway
    company = await gateway.get(request, f"/members/{member_id}")
    return render(request, "members/detail.html", company=company)


@router.post("/members/{member_id}/decide/{command}")
async def decide(
    request: Request,
    member_id: str,
    command: Literal["approve", "reject", "suspend", "reinstate"],
    csrf: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> RedirectResponse:
    """Approve, reject, suspend or reinstate a company (with a reason where one is needed)."""
    check_csrf(request, csrf)
    _ = words(request)
    body = {"reason": reason.strip()} if reason.strip() else None
    try:
        await request.app.state.gateway.post(request, f"/members/{member_id}/{command}", body)
    except ApiError as error:
        return refused(request, f"/members/{member_id}", error)
    return back(request, f"/members/{member_id}", _("Done."))


PROFILE_FIELDS = (
    "employees", "region", "website", "founded_year", "products", "certifications",
    "export_markets",
)  # fmt: skip
LISTED = ("products", "certifications", "export_markets")


def profile_form(company: dict) -> dict[str, str]:
    """The profile's editable fields as the form shows them (lists comma separated)."""
    form = {f: company.get(f) for f in PROFILE_FIELDS}
    for field in LISTED:
        form[field] = ", ".join(company.get(field) or [])
    form["public_listing"] = "on" if company.get("public_listing") else ""
    return {k: "" if v is None else str(v) for k, v in form.items()}


def _number(text: str) -> int | str | None:
    """A whole number as the API takes it; anything else as typed, for the API to refuse."""
    text = text.strip()
    return int(text) if text.isdigit() else (text or None)


def profile_changes(form: dict[str, str]) -> dict:
    """The API's profile update from the form (empty optional fields clear them)."""
    changes: dict = {f: [v.strip() for v in form[f].split(",") if v.strip()] for f in LISTED}
    changes["region"] = form["region"].strip()
    changes["employees"] = _number(form["employees"])
    changes["website"] = form["website"].strip() or None
    changes["founded_year"] = _number(form["founded_year"])
    changes["public_listing"] = form.get("public_listing") == "on"
    return changes


@router.get("/members/{member_id}/edit", response_class=HTMLResponse)
async def edit_profile(request: Request, member_id: str) -> HTMLResponse:
    """The company's profile as a form (its own for a member user)."""
    company = await request.app.state.gateway.get(request, f"/members/{member_id}")
    return render(
        request, "members/edit.html", company=company, form=profile_form(company), error=None
    )


@router.post("/members/{member_id}/edit", response_model=None)
async def save_profile(request: Request, member_id: str) -> HTMLResponse | RedirectResponse:
    """Save the profile; a refused field is shown with the form as it was typed."""
    submitted = await request.form()
    check_csrf(request, str(submitted.get("csrf", "")))
    form = {f: str(submitted.get(f, "")) for f in (*PROFILE_FIELDS, "public_listing")}
    gateway: Gateway = request.app.state.gateway
    try:
        await gateway.call(request, "PATCH", f"/members/{member_id}", json=profile_changes(form))
    except ApiError as refused:
        if refused.status != 422:
            raise
        company = await gateway.get(request, f"/members/{member_id}")
        return render(request, "members/edit.html", 422, company=company, form=form, error=refused)
    _ = words(request)
    return back(request, f"/members/{member_id}", _("Profile saved."))
