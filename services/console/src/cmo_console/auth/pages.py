"""Signing in and out through the gateway's own `/auth/token`, and the language choice."""

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..gateway import ApiError, Gateway
from ..i18n import LANGUAGES
from ..pages import back, local_path, render, words
from ..session import check_csrf, sign_in, sign_out, visitor

router = APIRouter()
Field = Annotated[str, Form(max_length=200)]


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return render(request, "auth/login.html", next=local_path(next), error=None, login="")


@router.post("/login", response_model=None)
async def login(
    request: Request,
    login: Field,
    password: Field,
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> HTMLResponse | RedirectResponse:
    """Sign in with the gateway; on success, go where the visitor was headed."""
    check_csrf(request, csrf)
    gateway: Gateway = request.app.state.gateway
    client = request.client.host if request.client else "unknown"
    try:
        tokens = await gateway.sign_in(login, password, client)
    except ApiError as refused:
        _ = words(request)
        message = _("Wrong login or password.") if refused.status == 401 else refused.message
        return render(
            request, "auth/login.html", 401, next=local_path(next), error=message, login=login
        )
    request.session.update(access=tokens["access_token"], refresh=tokens["refresh_token"])
    request.session.update(login=login, role="unknown")
    me = await gateway.get(request, "/auth/me")
    sign_in(request, me, tokens)
    return RedirectResponse(local_path(next), status_code=303)


@router.post("/logout")
async def logout(request: Request, csrf: Annotated[str, Form()] = "") -> RedirectResponse:
    """End the session at the gateway too, so its tokens stop working."""
    check_csrf(request, csrf)
    if visitor(request) is not None:
        with contextlib.suppress(ApiError):  # signed out here all the same
            await request.app.state.gateway.post(request, "/auth/logout")
    sign_out(request)
    return RedirectResponse("/login", status_code=303)


@router.post("/language")
async def choose_language(
    request: Request,
    lang: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> RedirectResponse:
    """Remember the visitor's language."""
    check_csrf(request, csrf)
    if lang in LANGUAGES:
        request.session["lang"] = lang
    return back(request, local_path(next))
