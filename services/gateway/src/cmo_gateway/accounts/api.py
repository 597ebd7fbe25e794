"""The gateway's own account API: sign-in, sessions, invitations, users and integrations."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import uuid4

from cmo_contracts import Envelope, derived_event_id
from cmo_contracts.users import UserInvited
from cmo_shared.errors import Forbidden
from cmo_shared.feature import provided
from cmo_shared.http import PageNumber, PageSize
from cmo_shared.identity import invitation_token
from cmo_shared.store import EventFactory
from fastapi import APIRouter, Form, Request, Response, status

from ..member_status.repository import MemberStatus
from ..routing.access import Anyone, Caller
from ..settings import GatewaySettings
from .domain import Role, may_invite
from .login_limits import LoginLimits
from .repository import Users, principal_of
from .schemas import (
    AcceptWrite,
    IntegrationRead,
    IntegrationWrite,
    InvitationRead,
    InvitationWrite,
    MeRead,
    TokenRead,
    UserPage,
    UserRead,
)
from .tokens import AccessTokens, InvalidToken, Sessions

router = APIRouter()


class InviteNotAllowed(Forbidden):
    """Staff invite member users; only admins invite staff."""

    code = "forbidden"


Accounts = Annotated[Users, provided(Users)]
SessionStore = Annotated[Sessions, provided(Sessions)]
Tokens = Annotated[AccessTokens, provided(AccessTokens)]
Settings = Annotated[GatewaySettings, provided(GatewaySettings)]
Limits = Annotated[LoginLimits, provided(LoginLimits)]
Statuses = Annotated[MemberStatus, provided(MemberStatus)]
Events = Annotated[EventFactory, provided(EventFactory)]


@router.post("/auth/token", summary="Sign in, or refresh a session", tags=["auth"])
async def token(
    request: Request,
    _: Anyone,
    users: Accounts,
    sessions: SessionStore,
    tokens: Tokens,
    limits: Limits,
    settings: Settings,
    grant_type: Annotated[Literal["password", "refresh_token"], Form()],
    username: Annotated[str | None, Form(max_length=200)] = None,
    password: Annotated[str | None, Form(max_length=200)] = None,
    refresh_token: Annotated[str | None, Form(max_length=200)] = None,
) -> TokenRead:
    """OAuth2 token endpoint: `password` grant (rate-limited) or `refresh_token` grant."""
    if grant_type == "password":
        if not username or not password:
            raise InvalidToken("username and password are required", field="username")
        limits.attempt(username, request.client.host if request.client else "?")
        user = await users.authenticate(username, password)
        if user is None:
            limits.failed(username)
            raise InvalidToken("wrong login or password", field="password")
        session_id, refresh = await sessions.start(user["_id"])
    else:
        if not refresh_token:
            raise InvalidToken("refresh_token is required", field="refresh_token")
        user_id, session_id, refresh = await sessions.rotate(refresh_token)
        user = await users.get(user_id)
        if user["disabled"]:
            await sessions.revoke(session_id, "user disabled")
            raise InvalidToken("the account is disabled")
    principal = principal_of(user, session_id)
    request.state.principal = principal
    return TokenRead(
        access_token=tokens.issue(principal),
        expires_in=settings.access_token_ttl_s,
        refresh_token=refresh,
    )


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End the session",
    tags=["auth"],
)
async def logout(caller: Caller, sessions: SessionStore) -> Response:
    """Revoke the caller's session: its refresh token and access tokens stop working."""
    if caller.session_id is not None:
        await sessions.revoke(caller.session_id, "logout")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/auth/me", summary="Who am I", tags=["auth"])
async def me(caller: Caller, statuses: Statuses) -> MeRead:
    """The caller's identity, and for member users their company's status."""
    member_status = None
    if caller.member_id is not None:
        member_status = await statuses.status(caller.member_id)
    return MeRead(
        user_id=caller.user_id,
        login=caller.login,
        role=caller.role,
        member_id=caller.member_id,
        contact_id=caller.contact_id,
        member_status=member_status,
    )


@router.post(
    "/auth/invitations",
    status_code=status.HTTP_201_CREATED,
    summary="Invite a user",
    tags=["auth"],
)
async def invite(
    body: InvitationWrite, caller: Caller, users: Accounts, settings: Settings, events: Events
) -> InvitationRead:
    """Staff invite member users of a company; admins also invite staff and admins."""
    role = Role(body.role)
    if not may_invite(caller.role, role):
        raise InviteNotAllowed(f"a {caller.role.value} may not invite a {role.value}", field="role")
    now = datetime.now(UTC)
    invitation_id = str(uuid4())
    token_value = invitation_token(settings.internal_secret, invitation_id)
    fields = {
        "invitation_id": invitation_id,
        "login": body.login.lower(),
        "role": role.value,
        "member_id": getattr(body, "member_id", None),
        "contact_id": getattr(body, "contact_id", None),
        "name": body.name,
        "language": body.language,
        "invited_by": caller.login,
        "created_at": now,
        "expires_at": now + timedelta(seconds=settings.invitation_ttl_s),
    }
    invitation = await users.invite(
        fields, token=token_value, announced_by=_invited(events, fields)
    )
    return InvitationRead(
        invitation_id=invitation["invitation_id"],
        login=invitation["login"],
        role=role,
        member_id=invitation["member_id"],
        expires_at=invitation["expires_at"],
        token=token_value,
        accept_url=f"{settings.public_url}/auth/invitations/accept#token={token_value}",
    )


@router.post(
    "/auth/invitations/accept",
    status_code=status.HTTP_201_CREATED,
    summary="Accept an invitation",
    tags=["auth"],
)
async def accept(body: AcceptWrite, _: Anyone, users: Accounts) -> UserRead:
    """Set a password with an invitation's token, creating the account (once)."""
    user = await users.accept(body.token, body.password)
    return UserRead.model_validate(user)


@router.get("/users", summary="List accounts", tags=["users"])
async def list_users(
    _: Caller, users: Accounts, page: PageNumber = 1, page_size: PageSize = 50
) -> UserPage:
    """Every account, by login."""
    users, total = await users.page(skip=(page - 1) * page_size, limit=page_size)
    items = [UserRead.model_validate(u) for u in users]
    return UserPage.of(items, total, page, page_size)


@router.post("/users/{user_id}/disable", summary="Disable an account", tags=["users"])
async def disable_user(
    user_id: str, _: Caller, users: Accounts, sessions: SessionStore
) -> UserRead:
    """Stop an account from signing in, and end its sessions."""
    user = await users.disable(user_id)
    await sessions.revoke_user(user_id, "user disabled")
    return UserRead.model_validate(user)


@router.post(
    "/integrations",
    status_code=status.HTTP_201_CREATED,
    summary="Register an integration",
    tags=["users"],
)
async def create_integration(
    body: IntegrationWrite, caller: Caller, users: Accounts
) -> IntegrationRead:
    """An automated consumer with an API key (shown once): read-only routes and webhooks."""
    key, record = await users.create_integration(body.name, caller.login)
    return IntegrationRead.model_validate({**record, "api_key": key})


@router.get("/integrations", summary="List integrations", tags=["users"])
async def list_integrations(_: Caller, users: Accounts) -> list[IntegrationRead]:
    """Every integration, newest first (without keys)."""
    return [IntegrationRead.model_validate(i) for i in await users.integrations()]


@router.delete(
    "/integrations/{integration_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an integration",
    tags=["users"],
)
async def revoke_integration(integration_id: str, _: Caller, users: Accounts) -> Response:
    """Its API key stops working at once."""
    await users.revoke_integration(integration_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _invited(event: EventFactory, invitation: dict[str, Any]) -> Envelope[Any]:
    """The `user.invited` event of an invitation (its token is not in it)."""
    payload = UserInvited(
        invitation_id=invitation["invitation_id"],
        login=invitation["login"],
        name=invitation["name"],
        role=invitation["role"],
        member_id=invitation["member_id"],
        contact_id=invitation["contact_id"],
        language=invitation["language"],
        expires_at=invitation["expires_at"],
        invited_by=invitation["invited_by"],
    )
    return event(
        payload,
        subject_id=invitation["invitation_id"],
        event_id=derived_event_id("user.invited", invitation["invitation_id"]),
    )
