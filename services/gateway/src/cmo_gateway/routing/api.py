"""The routes that forward the operations of the routing table to their services."""

from typing import Annotated, Any

from cmo_shared.feature import provided
from cmo_shared.logging import correlation_id
from fastapi import APIRouter, Request, Response

from ..idempotency.service import IdempotentCommands
from .access import Caller, Gatekeeper
from .proxy import Forwarder, Upstreams
from .routes import Route, forwarded
from .schemas import UpstreamRead

status_router = APIRouter()


@status_router.get("/upstreams", summary="Which services the gateway reaches", tags=["users"])
async def upstreams(
    _: Caller, pools: Annotated[Upstreams, provided(Upstreams)]
) -> list[UpstreamRead]:
    """Each routed service, the URL the gateway calls it at, and whether it is ready now."""
    return [UpstreamRead.model_validate(u) for u in await pools.reachability()]


def forwarding(route: Route) -> Any:
    """The endpoint that admits the caller as the table says, then forwards."""

    async def forward(request: Request) -> Response:
        services = request.app.state.services
        principal = await services[Gatekeeper].admit(request, route)
        request.state.principal = principal

        async def send() -> Response:
            return await services[Forwarder].forward(
                request, route, principal, correlation_id.get() or ""
            )

        key = request.headers.get("Idempotency-Key")
        if route.method == "POST" and key is not None:
            return await services[IdempotentCommands].run(request, principal, key, send)
        return await send()

    forward.__doc__ = f"Forward to the {route.service} service."
    return forward


def forwarding_router() -> APIRouter:
    """A route for every forwarded operation (left out of the gateway's own document)."""
    router = APIRouter()
    for route in forwarded():
        router.add_api_route(
            route.path,
            forwarding(route),
            methods=[route.method],
            include_in_schema=False,
            name=f"{route.service}:{route.method} {route.path}",
        )
    return router
