"""Forwarding a routed request to its service over pooled HTTP, with the caller's identity."""

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from cmo_shared.errors import Invalid, TimedOut, Unavailable
from cmo_shared.identity import Identity, identity_headers
from cmo_shared.tracing import trace_client
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


class Upstreams:
    """One pooled HTTP client per service."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._settings = settings
        timeout = httpx.Timeout(
            settings.upstream_timeout_s, connect=settings.upstream_connect_timeout_s
        )
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        self._probe_timeout = httpx.Timeout(2.0)
        self._clients = {
            service: trace_client(
                httpx.AsyncClient(
                    base_url=settings.upstream_url(service), timeout=timeout, limits=limits
                )
            )
            for service in UPSTREAMS
        }

    async def send(
        self,
        service: str,
        method: str,
        path: str,
        *,
        query: list[tuple[str, str]] | None = None,
        content: bytes | None = None,
        headers: dict[str, str],
    ) -> httpx.Response:
        """One request to a service; 503 if it cannot be reached, 504 if it is too slow."""
        try:
            return await self._clients[service].request(
                method, path, params=query, content=content, headers=headers
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
            raise ServiceUnavailable(
                f"the {service} service is not available right now; try again shortly"
            ) from exc
        except httpx.TimeoutException as exc:
            raise ServiceTimeout(f"the {service} service did not answer in time") from exc

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
            client = self._clients[service]
            try:
                response = await client.get("/ready", timeout=self._probe_timeout)
                ready, detail = response.status_code == 200, response.json().get("checks", {})
            except (httpx.HTTPError, ValueError) as exc:
                ready, detail = False, {"error": type(exc).__name__}
            return {"service": service, "url": str(client.base_url), "ready": ready, **detail}

        return list(await asyncio.gather(*(probe(s) for s in UPSTREAMS)))

    async def close(self) -> None:
        """Close every pool."""
        for client in self._clients.values():
            await client.aclose()


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


def _is_json(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith("application/json")
