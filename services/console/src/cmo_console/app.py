"""Composition root of the console: pages over the gateway, the session cookie, the headers.

The console holds no data of its own: every page is the gateway's API called as the
signed-in user, so the routing table's rules hold in the browser exactly as over HTTP.
"""

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

from cmo_shared.http import CorrelationMiddleware, health_router
from cmo_shared.logging import configure_logging
from cmo_shared.security_headers import PAGE_CSP, SecurityHeaders
from cmo_shared.tracing import configure_tracing, trace_app
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from .admin.pages import router as admin_pages
from .advocacy.pages import router as advocacy_pages
from .auth.pages import router as auth_pages
from .dashboard.pages import router as dashboard_pages
from .deliveries.pages import router as deliveries_pages
from .fees.pages import router as fees_pages
from .funding.pages import router as funding_pages
from .gateway import ApiError, Gateway, SignedOut
from .members.pages import router as members_pages
from .pages import render, words
from .portal.pages import router as portal_pages
from .procurement.pages import router as procurement_pages
from .session import CsrfRefused
from .settings import ConsoleSettings
from .training.pages import router as training_pages

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


def _error_page(request: Request, status: int, heading: str, message: str) -> Response:
    return render(request, "error.html", status, heading=heading, message=message)


async def _signed_out(request: Request, _: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?{urlencode({'next': target})}", 303)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    _ = words(request)
    if exc.status in (403, 404):
        # Another company's page is "not found", never "forbidden": nothing is confirmed.
        return _error_page(request, 404, _("Not found"), _("There is no such page for you."))
    if exc.status >= 500:
        log.warning("gateway answered %s %s", exc.status, exc.code)
        heading = _("The platform did not answer")
        return _error_page(request, 503, heading, _("Try again in a moment."))
    return _error_page(request, exc.status, _("That did not work"), exc.message)


async def _csrf(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CsrfRefused)
    _ = words(request)
    return _error_page(request, 403, _("Form refused"), exc.message)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    _ = words(request)
    if exc.status_code == 404:
        return _error_page(request, 404, _("Not found"), _("There is no such page for you."))
    return _error_page(request, exc.status_code, _("That did not work"), str(exc.detail))


async def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": ""}
    field = ".".join(str(p) for p in first["loc"][1:])
    _ = words(request)
    return _error_page(request, 422, _("That did not work"), f"{field}: {first['msg']}")


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("page failed", exc_info=exc)
    _ = words(request)
    heading = _("Something went wrong on our side")
    return _error_page(request, 500, heading, _("Try again in a moment."))


def create_app(settings: ConsoleSettings | None = None) -> FastAPI:
    """Build the console from settings."""
    settings = settings or ConsoleSettings()
    configure_logging("console", settings.log_level)
    configure_tracing("console", settings.otlp_endpoint)
    gateway = Gateway(settings.gateway_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        await gateway.close()

    app = FastAPI(
        title="CMO console", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.gateway = gateway
    trace_app(app)
    app.state.public_url = settings.public_url.rstrip("/")

    async def ready() -> dict[str, bool]:
        return {"gateway": await gateway.healthy()}

    app.include_router(health_router(ready))
    for router in (
        auth_pages,
        dashboard_pages,
        members_pages,
        funding_pages,
        deliveries_pages,
        portal_pages,
        fees_pages,
        procurement_pages,
        advocacy_pages,
        training_pages,
        admin_pages,
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(SignedOut, _signed_out)
    app.add_exception_handler(ApiError, _refused)
    app.add_exception_handler(CsrfRefused, _csrf)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _unexpected)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.console_secret,
        session_cookie="cmo_console",
        max_age=int(settings.console_session_hours * 3600),
        same_site="lax",
        https_only=settings.console_https,
    )
    app.add_middleware(SecurityHeaders, csp=PAGE_CSP)
    app.add_middleware(CorrelationMiddleware)
    return app
