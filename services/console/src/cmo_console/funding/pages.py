"""Funding calls: the list, a draft written in both languages, publishing, and its matches."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..gateway import ApiError, Gateway
from ..pages import back, paging, refused, render, words
from ..session import check_csrf

router = APIRouter()
PAGE_SIZE = 20
FUNDER_KINDS = ("donor", "government", "ifi", "bank")
INSTRUMENTS = ("grant", "loan", "guarantee", "equity", "technical_assistance")
TEXT_FIELDS = (
    "programme", "funder", "funder_kind", "instrument", "title_ka", "title_en",
    "description_ka", "description_en", "amount_min", "amount_max", "opens_on", "closes_on",
    "sectors", "certifications",
)  # fmt: skip


def _listed(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def call_body(form: dict[str, str]) -> dict[str, Any]:
    """The API's call from the form's fields (lists are comma separated)."""
    return {
        "programme": form["programme"],
        "funder": form["funder"],
        "funder_kind": form["funder_kind"],
        "instrument": form["instrument"],
        "title": {"ka": form["title_ka"], "en": form["title_en"]},
        "description": {"ka": form["description_ka"], "en": form["description_en"]},
        "amount_min": form["amount_min"] or None,
        "amount_max": form["amount_max"] or None,
        "opens_on": form["opens_on"],
        "closes_on": form["closes_on"],
        "criteria": {
            "sectors": _listed(form["sectors"]),
            "certifications": _listed(form["certifications"]),
        },
    }


@router.get("/funding/calls", response_class=HTMLResponse)
async def calls(request: Request, status: str = "", page: int = 1) -> HTMLResponse:
    """Funding calls, by status."""
    gateway: Gateway = request.app.state.gateway
    found = await gateway.get(
        request, "/calls", status=status or None, page=max(page, 1), page_size=PAGE_SIZE
    )
    return render(
        request,
        "funding/list.html",
        calls=found["items"],
        pages=paging(found["page"], PAGE_SIZE, found["total"]),
        status=status,
    )


def _form_page(request: Request, form: dict[str, str], error: ApiError | None, status: int = 200):
    return render(
        request,
        "funding/new.html",
        status,
        form=form,
        error=error,
        funder_kinds=FUNDER_KINDS,
        instruments=INSTRUMENTS,
    )


@router.get("/funding/calls/new", response_class=HTMLResponse)
async def new_call(request: Request) -> HTMLResponse:
    """The form of a new call (a draft until published)."""
    return _form_page(request, dict.fromkeys(TEXT_FIELDS, ""), None)


@router.post("/funding/calls", response_model=None)
async def create_call(request: Request) -> HTMLResponse | RedirectResponse:
    """Save a draft; a refused field is shown next to the form again, nothing typed is lost."""
    submitted = await request.form()
    check_csrf(request, str(submitted.get("csrf", "")))
    form = {f: str(submitted.get(f, "")).strip() for f in TEXT_FIELDS}
    try:
        call = await request.app.state.gateway.post(request, "/calls", call_body(form))
    except ApiError as refused:
        return _form_page(request, form, refused, 422 if refused.status == 422 else 400)
    _ = words(request)
    return back(request, f"/funding/calls/{call['call_id']}", _("Draft saved."))


@router.get("/funding/calls/{call_id}", response_class=HTMLResponse)
async def call(request: Request, call_id: str, page: int = 1) -> HTMLResponse:
    """A call, and the members it matched once published."""
    gateway: Gateway = request.app.state.gateway
    found = await gateway.get(request, f"/calls/{call_id}")
    matches = None
    if found["status"] != "draft":
        matches = await gateway.get(
            request, f"/calls/{call_id}/matches", page=max(page, 1), page_size=PAGE_SIZE
        )
    ids = [m["member_id"] for m in matches["items"]] if matches else []
    names = await gateway.legal_names(request, ids)
    return render(
        request,
        "funding/detail.html",
        call=found,
        names=names,
        matches=matches,
        pages=paging(matches["page"], PAGE_SIZE, matches["total"]) if matches else None,
    )


@router.post("/funding/calls/{call_id}/publish")
async def publish(request: Request, call_id: str) -> RedirectResponse:
    """Publish a draft: members are matched and told."""
    submitted = await request.form()
    check_csrf(request, str(submitted.get("csrf", "")))
    _ = words(request)
    try:
        await request.app.state.gateway.post(request, f"/calls/{call_id}/publish")
    except ApiError as error:
        return refused(request, f"/funding/calls/{call_id}", error)
    return back(request, f"/funding/calls/{call_id}", _("Published: matching members are told."))


STEPS = ("interested", "preparing", "submitted", "awarded", "rejected")


@router.get("/funding/applications", response_class=HTMLResponse)
async def applications(request: Request, call_id: str = "") -> HTMLResponse:
    """The applications board: each company's application by its step."""
    gateway: Gateway = request.app.state.gateway
    found = await gateway.get(request, "/applications", call_id=call_id or None, page_size=100)
    board = {step: [a for a in found["items"] if a["status"] == step] for step in STEPS}
    names = await gateway.legal_names(request, [a["member_id"] for a in found["items"]])
    return render(
        request,
        "funding/applications.html",
        board=board,
        steps=STEPS,
        total=found["total"],
        names=names,
    )


@router.post("/funding/applications/{application_id}/status")
async def move(request: Request, application_id: str) -> RedirectResponse:
    """Move an application to its next step (an award names the amount)."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    step = str(form.get("status", ""))
    body: dict[str, Any] = {"status": step}
    if step == "awarded":
        body["amount_awarded"] = str(form.get("amount_awarded", "")).strip()
    _ = words(request)
    try:
        await request.app.state.gateway.post(
            request, f"/applications/{application_id}/status", body
        )
    except ApiError as error:
        return refused(request, "/funding/applications", error)
    return back(request, "/funding/applications", _("Moved."))
