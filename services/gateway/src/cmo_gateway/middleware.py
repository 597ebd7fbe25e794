"""Request hygiene at the edge: body size limit, security headers, and the audit trail."""

import logging
from collections.abc import Awaitable, Callable

from cmo_shared.errors import DomainError
from cmo_shared.http import CORRELATION_HEADER
from fastapi import Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .api import ROUTE_TABLE, audit_entry

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
    b"strict-transport-security": b"max-age=63072000; includeSubDomains",
    b"cache-control": b"no-store",
    b"cross-origin-opener-policy": b"same-origin",
}
API_CSP = b"default-src 'none'; frame-ancestors 'none'"
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect")


class BodyTooLarge(DomainError):
    """The request body is larger than the gateway accepts."""

    status = 413
    code = "payload_too_large"


class BodyLimit:
    """Refuses bodies over `max_bytes`: by `Content-Length` at once, else while reading."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap `receive` so that reading too much raises `BodyTooLarge`."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        too_large = declared is not None and declared.isdigit() and int(declared) > self.max_bytes
        received = 0

        async def limited() -> Message:
            nonlocal received
            if too_large:
                raise BodyTooLarge(f"the body is larger than {self.max_bytes} bytes")
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLarge(f"the body is larger than {self.max_bytes} bytes")
            return message

        await self.app(scope, limited, send)


class SecurityHeaders:
    """Adds security headers to every response (a CSP that allows nothing but on `/docs`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] in DOCS_PATHS

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS.items() if k not in present]
                if not docs:
                    extra.append((b"content-security-policy", API_CSP))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


async def audit_trail(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Record every state-changing request the routing table knows, whatever its outcome."""
    response = await call_next(request)
    route = getattr(request.scope.get("route"), "path", None)
    entry = ROUTE_TABLE.get((request.method, route)) if route else None
    if entry is not None and entry.changes_state:
        correlation = response.headers.get(CORRELATION_HEADER, "")
        try:
            await request.app.state.audit.record(
                audit_entry(request, response.status_code, entry, correlation)
            )
        except Exception:  # the answer stands; a lost audit entry is logged loudly
            log.exception("could not write the audit entry of %s %s", request.method, route)
    return response
