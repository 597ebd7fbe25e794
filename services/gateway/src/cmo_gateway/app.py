"""Composition root of the gateway."""

from cmo_contracts.users import TOPIC as USERS_TOPIC
from cmo_shared.feature import Feature
from cmo_shared.runtime import ServiceRuntime, create_service_app
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from .access import Gatekeeper
from .api import router
from .audit import AUDIT, AuditLog
from .documents import serve_documents
from .forwarding import forwarding
from .login_limits import LoginLimits
from .member_status import MEMBER_STATUS, MemberStatus
from .middleware import AuditTrail, BodyLimit, SecurityHeaders
from .proxy import Forwarder, Upstreams
from .routes import forwarded
from .settings import GatewaySettings
from .tokens import AccessTokens, Sessions
from .users import Invitations, Users


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
            forwarding(route),
            methods=[route.method],
            include_in_schema=False,
            name=f"{route.service}:{route.method} {route.path}",
        )
    serve_documents(app, upstreams)
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
