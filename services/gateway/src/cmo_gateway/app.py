"""Composition root of the gateway: accounts, the audit log, member statuses and routing.

The features' modules use each other (routing admits callers with the accounts' tokens, the
accounts' routes are admitted by routing), so their Feature objects are built here.
"""

from cmo_contracts.users import TOPIC as USERS_TOPIC
from cmo_shared.feature import Feature, Job
from cmo_shared.runtime import ServiceRuntime, create_service_app
from cmo_shared.security_headers import SecurityHeaders
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from .accounts.api import router as accounts_router
from .accounts.login_limits import LoginLimits
from .accounts.repository import Invitations, Users
from .accounts.tokens import AccessTokens, Sessions
from .audit.api import router as audit_router
from .audit.repository import AUDIT, AuditLog
from .idempotency.repository import IDEMPOTENCY, IdempotencyKeys
from .idempotency.service import IdempotentCommands
from .member_status.handlers import handlers as member_status_handlers
from .member_status.repository import MEMBER_STATUS, MemberStatus
from .middleware import AuditTrail, BodyLimit
from .routing.access import Gatekeeper
from .routing.api import forwarding_router, status_router
from .routing.documents import DOCS_PATHS, serve_documents
from .routing.proxy import Forwarder, Upstreams
from .settings import GatewaySettings


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    """Build the gateway from settings."""
    settings = settings or GatewaySettings()
    runtime = ServiceRuntime("gateway", settings, produces=[USERS_TOPIC])
    users = Users(runtime.db, runtime.writes.declare(Invitations))
    sessions = Sessions(runtime.db, settings.refresh_token_ttl_s, settings.session_check_s)
    upstreams = Upstreams(settings)
    member_status = MemberStatus(runtime.collection(MEMBER_STATUS), upstreams.member_status)
    audit = AuditLog(runtime.collection(AUDIT))
    idempotency_keys = IdempotencyKeys(runtime.collection(IDEMPOTENCY))
    commands = IdempotentCommands(idempotency_keys)
    tokens = AccessTokens(settings)
    limits = LoginLimits(
        settings.login_attempts_per_account,
        settings.login_attempts_per_address,
        settings.login_window_s,
    )

    features = [
        Feature(
            "accounts",
            accounts_router,
            [users, sessions, tokens, limits, member_status, settings, runtime.writes.event],
            on_start=[users.ensure_indexes, sessions.ensure_indexes],
        ),
        Feature("audit", audit_router, [audit], on_start=[audit.ensure_indexes]),
        Feature(
            "idempotency",
            services=[commands],
            jobs=[Job("idempotency-keys", 3600, commands.clean_up)],
            on_start=[idempotency_keys.ensure_indexes],
        ),
        Feature("member-status", handlers=member_status_handlers(member_status)),
        Feature("upstreams", status_router, [upstreams]),
        Feature(
            "routing",
            forwarding_router(),
            [Gatekeeper(tokens, sessions, users, member_status), Forwarder(upstreams, settings)],
        ),
    ]
    app = create_service_app(
        runtime,
        title="CMO platform API",
        description="The one entry for staff, member users and integrations: sign in at "
        "`POST /auth/token`, then send `Authorization: Bearer <access token>` (integrations: "
        "`X-API-Key`). Each operation names the roles that may call it.",
        features=features,
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
    app.add_middleware(SecurityHeaders, exempt=DOCS_PATHS)
    app.router.on_shutdown.append(upstreams.close)
    return app
