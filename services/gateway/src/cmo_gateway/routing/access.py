"""Who is calling (a bearer token or an integration's API key) and whether it may."""

from dataclasses import dataclass
from typing import Annotated

from cmo_shared.errors import Forbidden, Unauthenticated
from fastapi import Depends, Request

from ..accounts.domain import Principal, Role
from ..accounts.repository import KEY_PREFIX, Users
from ..accounts.tokens import AccessTokens, InvalidToken, Sessions
from ..member_status.repository import MemberStatus
from .routes import ROUTES, Route

API_KEY_HEADER = "X-API-Key"


class NotAuthenticated(Unauthenticated):
    """The route needs credentials and none were given."""

    @property
    def headers(self) -> dict[str, str]:
        """How to authenticate (RFC 6750)."""
        return {"WWW-Authenticate": "Bearer"}


class MemberSuspended(Forbidden):
    """Users of a company that is not in good standing can read but not act."""

    code = "member_not_in_good_standing"


@dataclass
class Gatekeeper:
    """Authenticates requests and applies the routing table's roles."""

    tokens: AccessTokens
    sessions: Sessions
    users: Users
    members: MemberStatus

    async def principal(self, request: Request) -> Principal | None:
        """The authenticated caller, None if no credentials; `InvalidToken` if bad ones."""
        key = request.headers.get(API_KEY_HEADER)
        authorization = request.headers.get("Authorization", "")
        scheme, _, credentials = authorization.partition(" ")
        if key is None and scheme.lower() == "bearer" and credentials.startswith(KEY_PREFIX):
            key = credentials
        if key is not None:
            integration = await self.users.integration_by_key(key.strip())
            if integration is None:
                raise InvalidToken("unknown or revoked API key")
            return Principal(integration["_id"], integration["login"], Role.INTEGRATION)
        if not authorization:
            return None
        if scheme.lower() != "bearer" or not credentials:
            raise InvalidToken("use `Authorization: Bearer <access token>`")
        principal = self.tokens.read(credentials.strip())
        if principal.session_id is None or await self.sessions.is_revoked(principal.session_id):
            raise InvalidToken("the session was ended; sign in again")
        return principal

    async def admit(self, request: Request, route: Route) -> Principal | None:
        """The caller, if the route lets it in; 401, 403 otherwise."""
        principal = await self.principal(request)
        if route.public:
            return principal
        if principal is None:
            raise NotAuthenticated("sign in first: this route needs a bearer token or API key")
        if principal.role not in route.roles:
            raise Forbidden(f"the {principal.role.value} role may not call {route.path}")
        if (
            principal.role is Role.MEMBER
            and route.changes_state
            and not await self.members.may_act(principal.member_id)
        ):
            raise MemberSuspended(
                "your company is not in good standing: you can read, but not make changes"
            )
        return principal


ROUTE_TABLE: dict[tuple[str, str], Route] = {(r.method, r.path): r for r in ROUTES}


async def admitted(request: Request) -> Principal | None:
    """The caller of one of the gateway's own routes, admitted as the routing table says."""
    route = ROUTE_TABLE[(request.method, request.scope["route"].path)]
    principal = await request.app.state.services[Gatekeeper].admit(request, route)
    request.state.principal = principal
    return principal


async def signed_in(principal: Annotated[Principal | None, Depends(admitted)]) -> Principal:
    """The caller of a route that needs one (the table guarantees it)."""
    assert principal is not None
    return principal


Caller = Annotated[Principal, Depends(signed_in)]
Anyone = Annotated[Principal | None, Depends(admitted)]
