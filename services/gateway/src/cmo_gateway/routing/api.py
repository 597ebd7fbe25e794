"""The routes that forward the operations of the routing table to their services."""

from typing import Any

from cmo_shared.logging import correlation_id
from fastapi import APIRouter, Request, Response

from .access import Gatekeeper
from .proxy import Forwarder
from .routes import Route, forwarded


def forwarding(route: Route) -> Any:
    """The endpoint that admits the caller as the table says, then forwards."""

    async def forward(request: Request) -> Response:
        services = request.app.state.services
        principal = await services[Gatekeeper].admit(request, route)
        request.state.principal = principal
        return await services[Forwarder].forward(
            request, route, principal, correlation_id.get() or ""
        )

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
