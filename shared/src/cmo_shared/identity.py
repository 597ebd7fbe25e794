"""Who is calling and on behalf of which request, as passed by the gateway in headers.

The gateway authenticates the caller and forwards its identity in `X-CMO-User`, `X-CMO-Role`
and `X-CMO-Member`, signed (HMAC-SHA256 with `CMO_INTERNAL_SECRET`, together with the
correlation id) in `X-CMO-Identity-Signature`. A service trusts those headers only with a
valid signature: a forged or altered identity is refused with 401. A call without identity
headers is an internal call on the service's private port, attributed to `staff`.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from .errors import Unauthenticated
from .logging import correlation_id

USER_HEADER = "X-CMO-User"
ROLE_HEADER = "X-CMO-Role"
MEMBER_HEADER = "X-CMO-Member"
SIGNATURE_HEADER = "X-CMO-Identity-Signature"
INTERNAL_ACTOR = "staff"


class UntrustedIdentity(Unauthenticated):
    """Identity headers that the gateway did not sign."""

    code = "untrusted_identity"


@dataclass(frozen=True)
class Identity:
    """The caller as the gateway vouches for it."""

    user: str
    role: str
    member_id: str | None = None


def sign_identity(secret: str, identity: Identity, correlation: str) -> str:
    """The signature the gateway sends along with an identity."""
    message = "\n".join((identity.user, identity.role, identity.member_id or "", correlation))
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def invitation_token(secret: str, invitation_id: str) -> str:
    """The secret token of an invitation, derived from its id with the shared key.

    The gateway stores only its hash; the notifications service derives it again to email
    it, so the token itself never travels in an event.
    """
    message = f"invitation:{invitation_id}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def identity_headers(secret: str, identity: Identity, correlation: str) -> dict[str, str]:
    """The headers that carry an identity to a service."""
    headers = {
        USER_HEADER: identity.user,
        ROLE_HEADER: identity.role,
        SIGNATURE_HEADER: sign_identity(secret, identity, correlation),
    }
    if identity.member_id:
        headers[MEMBER_HEADER] = identity.member_id
    return headers


async def _identity(request: Request) -> Identity | None:
    headers = request.headers
    user = headers.get(USER_HEADER)
    if user is None and SIGNATURE_HEADER not in headers:
        return None
    identity = Identity(user or "", headers.get(ROLE_HEADER, ""), headers.get(MEMBER_HEADER))
    secret = request.app.state.internal_secret
    expected = sign_identity(secret, identity, correlation_id.get() or "")
    if not hmac.compare_digest(expected, headers.get(SIGNATURE_HEADER, "")):
        raise UntrustedIdentity("identity headers are accepted only from the gateway")
    return identity


async def _actor(identity: Annotated[Identity | None, Depends(_identity)]) -> str:
    return INTERNAL_ACTOR if identity is None else identity.user


async def _correlation_id() -> str:
    value = correlation_id.get()
    assert value is not None, "correlation-id middleware not installed"
    return value


Actor = Annotated[str, Depends(_actor)]
CorrelationId = Annotated[str, Depends(_correlation_id)]
