"""Request hygiene at the edge: body size limit, security headers, and the audit trail."""

import logging
from typing import Any

from cmo_shared.http import CORRELATION_HEADER, error_response
from fastapi import Request
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .audit.api import audit_entry
from .audit.repository import AuditLog
from .routing.access import ROUTE_TABLE

log = logging.getLogger(__name__)


class BodyLimit:
    """Refuses bodies over `max_bytes` with 413: by `Content-Length` at once, else once read.

    The body is read here, up to the limit, and handed on whole: an error raised while the
    app reads it would surface as a 500 through the HTTP middlewares in between.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the body (at most `max_bytes`), then run the app on it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body"):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([body], then=receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the body is larger than {self.max_bytes} bytes"
        await error_response(413, "payload_too_large", message)(scope, receive, send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    """A `receive` that yields the given messages, then defers to `then` (disconnects)."""
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is None:
            return {"type": "http.disconnect"}
        return await then()

    return receive


class AuditTrail:
    """Records every state-changing request the routing table knows, whatever its outcome."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Note the answer's status and correlation id, then append the audit entry."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answered: dict[str, Any] = {}

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                answered["status"] = message["status"]
                answered["correlation"] = Headers(raw=message["headers"]).get(CORRELATION_HEADER)
            await send(message)

        await self.app(scope, receive, noting)
        route = getattr(scope.get("route"), "path", None)
        entry = ROUTE_TABLE.get((scope["method"], route)) if route else None
        if entry is None or not entry.changes_state or "status" not in answered:
            return
        request = Request(scope)
        record = audit_entry(request, answered["status"], entry, answered["correlation"] or "")
        try:
            await request.app.state.services[AuditLog].record(record)
        except Exception:  # the answer stands; a lost audit entry is logged loudly
            log.exception("could not write the audit entry of %s %s", scope["method"], route)
