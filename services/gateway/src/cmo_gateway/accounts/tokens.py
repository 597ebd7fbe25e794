"""Access tokens (short-lived JWTs) and sessions of rotating refresh tokens.

A login starts a session. Each refresh token works once: using it issues the next one of
the same session. A refresh token used a second time means it was stolen (or copied), so
the whole session is revoked; so does logging out. Access tokens name their session, and a
revoked session's access tokens are refused too: at once by the gateway that ended it, and
by other replicas within `session_check_s` (each remembers for that long that a session was
open, which spares a database read on every request).
"""

import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import jwt
from cachetools import TTLCache
from cmo_shared.errors import Unauthenticated
from cmo_shared.mongo import insert_new
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from ..settings import GatewaySettings
from .domain import Principal, Role
from .repository import digest

ALGORITHMS = ["HS256"]  # the only algorithm accepted: never taken from the token's header
REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "sid", "role", "jti"]
REFRESH_TOKENS = "refresh_tokens"
REFRESH_USES = "refresh_uses"
REVOKED_SESSIONS = "revoked_sessions"
LEEWAY_S = 5  # clock skew allowed between the gateway's replicas


class InvalidToken(Unauthenticated):
    """The credentials are missing, malformed, expired, revoked or not ours."""

    code = "invalid_token"

    @property
    def headers(self) -> dict[str, str]:
        """How to authenticate (RFC 6750)."""
        return {"WWW-Authenticate": 'Bearer error="invalid_token"'}


class AccessTokens:
    """Issues and reads signed access tokens.

    A token read once is remembered (by its exact text, signature included) with its
    principal until it expires, so a client's later requests skip decoding and verifying it
    again; its expiry is checked on every read.
    """

    def __init__(self, settings: GatewaySettings, clock: Callable[[], float] = time.time) -> None:
        self._settings = settings
        self._clock = clock
        # kept a minute past the expiry it checks, so an expired token is refused from here
        self._verified: TTLCache[str, tuple[Principal, float]] = TTLCache(
            maxsize=100_000, ttl=settings.access_token_ttl_s + LEEWAY_S + 60, timer=clock
        )

    def issue(self, principal: Principal) -> str:
        """A signed access token for a principal's session."""
        now = datetime.fromtimestamp(self._clock(), UTC)
        claims = {
            "iss": self._settings.jwt_issuer,
            "aud": self._settings.jwt_audience,
            "sub": principal.user_id,
            "lgn": principal.login,
            "role": principal.role.value,
            "mem": principal.member_id,
            "cid": principal.contact_id,
            "sid": principal.session_id,
            "iat": now,
            "nbf": now,
            "exp": now + timedelta(seconds=self._settings.access_token_ttl_s),
            "jti": str(uuid4()),
        }
        return jwt.encode(claims, self._settings.jwt_secret, algorithm=ALGORITHMS[0])

    def read(self, token: str) -> Principal:
        """The principal of a valid token, or `InvalidToken`."""
        known = self._verified.get(token)
        if known is not None:
            principal, expires = known
            if self._clock() < expires + LEEWAY_S:
                return principal
            raise InvalidToken("access token refused: Signature has expired")
        try:
            claims = jwt.decode(
                token,
                self._settings.jwt_secret,
                algorithms=ALGORITHMS,
                audience=self._settings.jwt_audience,
                issuer=self._settings.jwt_issuer,
                options={"require": REQUIRED_CLAIMS},
                leeway=LEEWAY_S,
            )
            role = Role(claims["role"])
        except (jwt.PyJWTError, ValueError) as exc:
            raise InvalidToken(f"access token refused: {exc}") from exc
        principal = Principal(
            user_id=claims["sub"],
            login=claims.get("lgn") or claims["sub"],
            role=role,
            member_id=claims.get("mem"),
            contact_id=claims.get("cid"),
            session_id=claims["sid"],
        )
        self._verified[token] = (principal, float(claims["exp"]))
        return principal


class Sessions:
    """Refresh tokens per session, each usable once; revoked sessions."""

    def __init__(self, db: AsyncDatabase, ttl_s: int, check_s: float = 0) -> None:
        self._tokens = db[REFRESH_TOKENS]
        self._uses = db[REFRESH_USES]
        self._revoked = db[REVOKED_SESSIONS]
        self._ttl = timedelta(seconds=ttl_s)
        self._open: TTLCache[str, bool] | None = (
            TTLCache(maxsize=100_000, ttl=check_s) if check_s > 0 else None
        )

    async def ensure_indexes(self) -> None:
        """Sessions of a user are found to revoke them all."""
        await self._tokens.create_index([("user_id", ASCENDING)])

    async def start(self, user_id: str) -> tuple[str, str]:
        """Open a session; return its id and first refresh token."""
        session_id = str(uuid4())
        started = datetime.now(UTC)
        return session_id, await self._issue(user_id, session_id, started)

    async def rotate(self, refresh_token: str) -> tuple[str, str, str]:
        """Use a refresh token once: its user, session and the session's next token."""
        key = digest(refresh_token)
        record = await self._tokens.find_one({"_id": key})
        if record is None:
            raise InvalidToken("unknown refresh token")
        if not await insert_new(self._uses, [{"_id": key, "at": datetime.now(UTC)}]):
            await self.revoke(record["session_id"], "refresh token reused")
            raise InvalidToken("refresh token already used: the session is revoked")
        if await self._revoked_now(record["session_id"]):
            raise InvalidToken("the session was revoked")
        if record["session_expires_at"] <= datetime.now(UTC):
            raise InvalidToken("the session expired; sign in again")
        token = await self._issue(
            record["user_id"], record["session_id"], record["session_started_at"]
        )
        return record["user_id"], record["session_id"], token

    async def revoke(self, session_id: str, reason: str) -> None:
        """End a session: its refresh and access tokens stop working."""
        self._forget(session_id)
        await insert_new(
            self._revoked, [{"_id": session_id, "reason": reason, "at": datetime.now(UTC)}]
        )
        self._forget(session_id)  # a check that read before the insert may have noted it open

    async def revoke_user(self, user_id: str, reason: str) -> None:
        """End every session of a user."""
        sessions = await self._tokens.distinct("session_id", {"user_id": user_id})
        for session_id in sessions:
            await self.revoke(session_id, reason)

    async def is_revoked(self, session_id: str) -> bool:
        """Whether a session was ended (an open one is remembered for `check_s`)."""
        if self._open is not None and session_id in self._open:
            return False
        revoked = await self._revoked_now(session_id)
        if not revoked and self._open is not None:
            self._open[session_id] = True
        return revoked

    async def _revoked_now(self, session_id: str) -> bool:
        return await self._revoked.find_one({"_id": session_id}) is not None

    def _forget(self, session_id: str) -> None:
        if self._open is not None:
            self._open.pop(session_id, None)

    async def _issue(self, user_id: str, session_id: str, started: datetime) -> str:
        token = secrets.token_urlsafe(32)
        record: dict[str, Any] = {
            "_id": digest(token),
            "user_id": user_id,
            "session_id": session_id,
            "session_started_at": started,
            "session_expires_at": started + self._ttl,
            "issued_at": datetime.now(UTC),
        }
        await self._tokens.insert_one(record)
        return token
