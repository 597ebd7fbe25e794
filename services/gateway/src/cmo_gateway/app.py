"""Composition root of the gateway."""

import asyncio
import time
from typing import Any

from cmo_contracts.users import TOPIC as USERS_TOPIC
from cmo_shared.feature import Feature
from cmo_shared.logging import correlation_id
from cmo_shared.runtime import ServiceRuntime, create_service_app
from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from .access import Gatekeeper
from .api import router
from .audit import AUDIT, AuditLog
from .login_limits import LoginLimits
from .member_status import MEMBER_STATUS, MemberStatus
from .middleware import AuditTrail, BodyLimit, SecurityHeaders
from .openapi import document
from .proxy import Forwarder, Upstreams
from .routes import Route, forwarded
from .settings import UPSTREAMS, GatewaySettings
from .tokens import AccessTokens, Sessions
from .users import Invitations, Users

OPENAPI_CACHE_S = 60.0


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    """Build the gateway from settings."""
    settings = settings or GatewaySettings()
    runtime = ServiceRuntime("gateway", settings, produces=[USERS_TOPIC])
    users = Users(runtime.db, runtime.writes.declare(Invitations))
    sessions = Sessions(runtime.db, settings.refresh_token_ttl_s)
    member_status = MemberStatus(runtime.collection(MEMBER_STATUS))
    audit = AuditLog(runtime.collection(AUDIT))
    upstreams = Upstreams(settings)
    tokens = AccessTokens(settings)
    limits = LoginLimits(
        settings.login_attempts_per_account,
        settings.login_attempts_per_address,
        settings.login_window_s,
    )

    async def ensure_indexes() -> None:
        for store in (users, sessions, audit):
            await store.ensure_indexes()

    gateway = Feature(
        "gateway",
        router,
        [
            users,
            sessions,
            tokens,
            limits,
            member_status,
            audit,
            settings,
            runtime.writes.event,
            Gatekeeper(tokens, sessions, users, member_status),
            Forwarder(upstreams, settings),
        ],
        handlers=member_status.handlers(),
        on_start=[ensure_indexes],
    )
    app = create_service_app(
        runtime,
        title="CMO platform API",
        description="The one entry for staff, member users and integrations: sign in at "
        "`POST /auth/token`, then send `Authorization: Bearer <access token>` (integrations: "
        "`X-API-Key`). Each operation names the roles that may call it.",
        features=[gateway],
    )
    for route in forwarded():
        app.add_api_route(
            route.path,
            _forwarding(route),
            methods=[route.method],
            include_in_schema=False,
            name=f"{route.service}:{route.method} {route.path}",
        )
    _serve_documents(app, upstreams)
    app.add_middleware(AuditTrail)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Correlation-ID"],
        )
    app.add_middleware(SecurityHeaders)
    app.router.on_shutdown.append(upstreams.close)
    return app


def _forwarding(route: Route) -> Any:
    async def forward(request: Request) -> Response:
        services = request.app.state.services
        principal = await services[Gatekeeper].admit(request, route)
        request.state.principal = principal
        return await services[Forwarder].forward(
            request, route, principal, correlation_id.get() or ""
        )

    forward.__doc__ = f"Forward to the {route.service} service."
    return forward


def _serve_documents(app: FastAPI, upstreams: Upstreams) -> None:
    """`/openapi.json` (the gateway's routes and every routed one) and `/docs`."""
    cache: dict[str, Any] = {"at": 0.0, "document": None}
    replaced = ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", "") not in replaced]

    async def merged() -> dict[str, Any]:
        if cache["document"] is None or time.monotonic() - cache["at"] > OPENAPI_CACHE_S:
            documents = await asyncio.gather(
                *(upstreams.get_json(s, "/openapi.json", {}) for s in UPSTREAMS),
                return_exceptions=True,
            )
            services = {
                s: d for s, d in zip(UPSTREAMS, documents, strict=True) if isinstance(d, dict)
            }
            merged_document = document(
                app.openapi(),
                services,
                max_page_size=app.state.services[GatewaySettings].max_page_size,
            )
            cache.update(at=time.monotonic(), document=merged_document)
        return cache["document"]

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(await merged())

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="CMO platform API")
