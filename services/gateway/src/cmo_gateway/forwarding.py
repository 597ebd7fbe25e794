"""The route that forwards one operation of the routing table to its service."""

from typing import Any

from cmo_shared.logging import correlation_id
from fastapi import Request, Response

from .access import Gatekeeper
from .proxy import Forwarder
from .routes import Route


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
