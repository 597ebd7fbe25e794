"""Forwarding a routed request to its service over pooled HTTP, with the caller's identity.

The pools are aiohttp's: per forwarded request it costs about a fifteenth of the CPU of httpx,
whose pool walks every connection it holds on each request (64 against 931 µs measured).
"""

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
from cmo_shared.errors import Invalid, TimedOut, Unavailable
from cmo_shared.identity import Identity, identity_headers
from cmo_shared.tracing import client_trace_configs
from fastapi import Request, Response
from fastapi.responses import JSONResponse

from ..accounts.domain import Principal
from ..settings import UPSTREAMS, GatewaySettings
from .limits import Call
from .routes import Route

REQUEST_HEADERS = ("content-type", "accept", "accept-language")
RESPONSE_HEADERS = ("content-type", "content-disposition", "retry-after", "location")


class ServiceUnavailable(Unavailable):
    """The service behind a route is not running or not reachable."""

    code = "service_unavailable"

    @property
    def headers(self) -> dict[str, str]:
        """Try again shortly."""
        return {"Retry-After": "5"}


class ServiceTimeout(TimedOut):
    """The service took too long to answer."""

    code = "service_timeout"


class InvalidJson(Invalid):
    """The body is not JSON."""

    code = "invalid_json"


class PageTooLarge(Invalid):
    """A page size above the gateway's cap."""

    code = "validation_error"


def identity_of(principal: Principal | None) -> Identity | None:
    """The identity a service is told about."""
    if principal is None:
        return None
    return Identity(principal.login, principal.role.value, principal.member_id)


@dataclass(frozen=True)
class Answer:
    """A service's answer, read whole."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.content)


class Upstreams:
    """One pooled HTTP session per service, opened on first use (inside the event loop)."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._settings = settings
        self._timeout = aiohttp.ClientTimeout(
            total=settings.upstream_timeout_s, sock_connect=settings.upstream_connect_timeout_s
        )
        self._probe_timeout = aiohttp.ClientTimeout(total=2.0)
        self._sessions: dict[str, aiohttp.ClientSession] = {}

    def _session(self, service: str) -> aiohttp.ClientSession:
        if (session := self._sessions.get(service)) is None or session.closed:
            session = aiohttp.ClientSession(
                base_url=self._settings.upstream_url(service).rstrip("/") + "/",
                timeout=self._timeout,
                connector=aiohttp.TCPConnector(limit=200, keepalive_timeout=30),
                trace_configs=client_trace_configs(),
                auto_decompress=False,
                skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
            )
            self._sessions[service] = session
        return session

    async def send(
        self,
        service: str,
        method: str,
        path: str,
        *,
        query: list[tuple[str, str]] | None = None,
        content: bytes | None = None,
        headers: dict[str, str],
        probe: bool = False,
    ) -> Answer:
        """One request to a service; 503 if it cannot be reached, 504 if it is too slow.

        A `probe` gets a short time limit of its own.
        """
        try:
            async with self._session(service).request(
                method,
                path.lstrip("/"),
                params=query or None,
                data=content,
                headers=headers,
                timeout=self._probe_timeout if probe else self._timeout,
            ) as response:
                return Answer(response.status, response.headers, await response.read())
        except aiohttp.ConnectionTimeoutError as exc:
            raise ServiceUnavailable(f"the {service} service did not take the call") from exc
        except (aiohttp.ServerTimeoutError, TimeoutError) as exc:
            raise ServiceTimeout(f"the {service} service did not answer in time") from exc
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
            raise ServiceUnavailable(
                f"the {service} service is not available right now; try again shortly"
            ) from exc

    async def get_json(self, service: str, path: str, headers: dict[str, str]) -> Any:
        """A service's JSON answer to a GET, or None if it is not 200."""
        response = await self.send(service, "GET", path, headers=headers)
        return response.json() if response.status_code == 200 else None

    async def member_status(self, member_id: str) -> str | None:
        """A member company's status as the members service has it now (None: unknown)."""
        try:
            member = await self.get_json("members", f"/members/{quote(member_id, safe='')}", {})
        except (Unavailable, TimedOut):
            return None
        return None if member is None else member.get("status")

    async def reachability(self) -> list[dict[str, Any]]:
        """Each service's URL and whether it answers `/ready` now (quickly, all at once)."""

        async def probe(service: str) -> dict[str, Any]:
            try:
                response = await self.send(service, "GET", "/ready", headers={}, probe=True)
                ready, detail = response.status_code == 200, response.json().get("checks", {})
            except (Unavailable, TimedOut, ValueError) as exc:
                name = type(exc.__cause__ or exc).__name__
                ready, detail = False, {"error": name}
            url = self._settings.upstream_url(service)
            return {"service": service, "url": url, "ready": ready, **detail}

        return list(await asyncio.gather(*(probe(s) for s in UPSTREAMS)))

    async def close(self) -> None:
        """Close every pool."""
        for session in self._sessions.values():
            await session.close()


@dataclass
class Forwarder:
    """Applies a route's limits around the call to its service."""

    upstreams: Upstreams
    settings: GatewaySettings

    async def forward(
        self, request: Request, route: Route, principal: Principal | None, correlation: str
    ) -> Response:
        """Forward the request as the route says, and return the service's answer."""
        headers = {k: v for k, v in request.headers.items() if k.lower() in REQUEST_HEADERS}
        headers["X-Correlation-ID"] = correlation
        identity = identity_of(principal)
        if identity is not None:
            headers.update(identity_headers(self.settings.internal_secret, identity, correlation))
        query = list(request.query_params.multi_items())
        self._check_page_size(query)
        raw = await request.body()
        limits = [
            limit for limit in route.limits if principal is not None and limit.applies(principal)
        ]

        async def lookup(path: str) -> dict[str, Any] | None:
            found = await self.upstreams.get_json(route.service, path, headers)
            return found if isinstance(found, dict) else None

        body = _json_body(raw) if limits and raw else None
        call = Call(principal, dict(request.path_params), query, body, lookup)  # type: ignore[arg-type]
        for limit in limits:
            await limit.before(call)
        content = json.dumps(call.body).encode() if body is not None else raw
        # As received, still percent-encoded: decoding would let an id carry `/`, `?` or a
        # control character into the service's URL.
        path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        response = await self.upstreams.send(
            route.service,
            route.method,
            path,
            query=call.query,
            content=content or None,
            headers=headers,
        )
        if limits and response.status_code == 200 and _is_json(response):
            payload = response.json()
            for limit in limits:
                payload = limit.after(call, payload)
            return JSONResponse(payload, status_code=200)
        passed = {k: v for k, v in response.headers.items() if k.lower() in RESPONSE_HEADERS}
        return Response(response.content, status_code=response.status_code, headers=passed)

    def _check_page_size(self, query: list[tuple[str, str]]) -> None:
        cap = self.settings.max_page_size
        for key, value in query:
            if key == "page_size" and value.isdigit() and int(value) > cap:
                raise PageTooLarge(f"page_size: at most {cap}", field="page_size")


def _json_body(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise InvalidJson("the body is not valid JSON", field="body") from exc


def _is_json(response: Answer) -> bool:
    return response.headers.get("content-type", "").startswith("application/json")
