"""Security headers on every response: the gateway's API and the console's pages alike."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
    b"strict-transport-security": b"max-age=63072000; includeSubDomains",
    b"cache-control": b"no-store",
    b"cross-origin-opener-policy": b"same-origin",
}
API_CSP = "default-src 'none'; frame-ancestors 'none'"
"""For JSON answers: nothing may load, nothing may frame them."""
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""For server-rendered pages: own styles, images and scripts only; no inline code."""


class SecurityHeaders:
    """Adds the security headers and a content security policy (none on `exempt` paths)."""

    def __init__(self, app: ASGIApp, csp: str = API_CSP, exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.csp = csp.encode()
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_csp = scope["path"] not in self.exempt

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS.items() if k not in present]
                if with_csp:
                    extra.append((b"content-security-policy", self.csp))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
