"""User accounts, invitations and integration keys, with their secrets stored hashed."""

import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from cmo_contracts import Envelope
from cmo_shared.errors import Conflict, Invalid, NotFound
from cmo_shared.mongo import insert_new
from cmo_shared.store import AggregateStore
from pwdlib import PasswordHash
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from .domain import Principal, Role, password_problem

USERS = "users"
INVITATIONS = "invitations"
INVITATION_USES = "invitation_uses"
INTEGRATIONS = "integrations"
KEY_PREFIX = "cmo_ik_"

_hasher = PasswordHash.recommended()  # argon2id
# Verifying against this keeps an unknown login as slow as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class LoginTaken(Conflict):
    """Another account already uses this login."""

    code = "login_taken"


class WeakPassword(Invalid):
    """The password does not meet the policy."""

    code = "weak_password"


class InvalidInvitation(NotFound):
    """The invitation is unknown, used or expired."""

    code = "invalid_invitation"


def digest(secret: str) -> str:
    """How a token or key is stored: its SHA-256, never the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def principal_of(user: dict[str, Any], session_id: str | None = None) -> Principal:
    """The principal a user account acts as."""
    return Principal(
        user_id=user["_id"],
        login=user["login"],
        role=Role(user["role"]),
        member_id=user.get("member_id"),
        contact_id=user.get("contact_id"),
        session_id=session_id,
    )


class Invitations(AggregateStore[dict[str, Any]]):
    """Invitations, `_id` the hash of their token; each is announced by `user.invited`."""

    collection_name = INVITATIONS
    noun = "invitation"

    def to_document(self, item: dict[str, Any]) -> dict[str, Any]:
        """An invitation is stored as it is."""
        return dict(item)

    def from_document(self, document: dict[str, Any]) -> dict[str, Any]:
        """An invitation as stored."""
        return {k: v for k, v in document.items() if k != "version"}

    def subject_of(self, item: dict[str, Any], document: dict[str, Any]) -> str:
        """Invitation events are about the invitation (never its token)."""
        return str(item["invitation_id"])


class Users:
    """Accounts of people (admin, staff, member users) and integrations."""

    def __init__(self, db: AsyncDatabase, invitations: Invitations | None = None) -> None:
        self._users = db[USERS]
        self._invitations = invitations
        self._uses = db[INVITATION_USES]
        self._integrations = db[INTEGRATIONS]

    async def ensure_indexes(self) -> None:
        """One account per login."""
        await self._users.create_index([("login", ASCENDING)], unique=True)

    async def create(
        self,
        *,
        login: str,
        password: str,
        role: Role,
        member_id: str | None = None,
        contact_id: str | None = None,
        name: str = "",
        created_by: str,
    ) -> dict[str, Any]:
        """Create an account with a password that meets the policy."""
        login = login.strip().lower()
        problem = password_problem(password, login)
        if problem is not None:
            raise WeakPassword(f"password: {problem}", field="password")
        user = {
            "_id": str(uuid4()),
            "login": login,
            "name": name,
            "role": role.value,
            "member_id": member_id,
            "contact_id": contact_id,
            "password_hash": _hasher.hash(password),
            "disabled": False,
            "created_by": created_by,
            "created_at": datetime.now(UTC),
        }
        if not await insert_new(self._users, [user]):
            raise LoginTaken(f"{login} already has an account", field="login")
        return user

    async def authenticate(self, login: str, password: str) -> dict[str, Any] | None:
        """The enabled account with this login and password, or None."""
        user = await self._users.find_one({"login": login.strip().lower()})
        if user is None:
            _hasher.verify(password, _DUMMY_HASH)
            return None
        valid, new_hash = _hasher.verify_and_update(password, user["password_hash"])
        if not valid or user["disabled"]:
            return None
        if new_hash is not None:  # parameters got stronger since it was hashed
            await self._users.update_one(
                {"_id": user["_id"]}, {"$set": {"password_hash": new_hash}}
            )
        return user

    async def get(self, user_id: str) -> dict[str, Any]:
        """One account, or `NotFound`."""
        user = await self._users.find_one({"_id": user_id})
        if user is None:
            raise NotFound(f"user {user_id} not found", field="user_id")
        return user

    async def page(self, *, skip: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """Accounts by login, and their total."""
        total = await self._users.count_documents({})
        cursor = self._users.find({}, {"password_hash": 0}).sort("login", ASCENDING)
        return await cursor.skip(skip).limit(limit).to_list(None), total

    async def disable(self, user_id: str) -> dict[str, Any]:
        """Stop an account from signing in."""
        user = await self.get(user_id)
        await self._users.update_one({"_id": user_id}, {"$set": {"disabled": True}})
        return {**user, "disabled": True}

    async def invite(
        self, invitation: dict[str, Any], *, token: str, announced_by: Envelope[Any]
    ) -> dict[str, Any]:
        """Store an invitation under its token's hash, with the event that announces it."""
        assert self._invitations is not None, "invitations are stored by the gateway only"
        document = {**invitation, "_id": digest(token)}
        await self._invitations.add(document, [announced_by])
        return document

    async def accept(self, token: str, password: str) -> dict[str, Any]:
        """Create the invited account; an invitation works once, until it expires."""
        assert self._invitations is not None, "invitations are stored by the gateway only"
        invitation = await self._invitations.find_one({"_id": digest(token)})
        if invitation is None or invitation["expires_at"] <= datetime.now(UTC):
            raise InvalidInvitation("this invitation is not valid", field="token")
        problem = password_problem(password, invitation["login"])
        if problem is not None:
            raise WeakPassword(f"password: {problem}", field="password")
        if not await insert_new(self._uses, [{"_id": invitation["_id"], "at": datetime.now(UTC)}]):
            raise InvalidInvitation("this invitation was used already", field="token")
        return await self.create(
            login=invitation["login"],
            password=password,
            role=Role(invitation["role"]),
            member_id=invitation["member_id"],
            contact_id=invitation["contact_id"],
            name=invitation["name"],
            created_by=invitation["invited_by"],
        )

    async def create_integration(self, name: str, created_by: str) -> tuple[str, dict[str, Any]]:
        """Register an integration; return its API key (shown once) and the stored record."""
        integration_id = f"int_{uuid4().hex[:12]}"
        key = f"{KEY_PREFIX}{secrets.token_urlsafe(32)}"
        record = {
            "_id": integration_id,
            "login": f"integration:{name}",
            "name": name,
            "role": Role.INTEGRATION.value,
            "key_hash": digest(key),
            "revoked": False,
            "created_by": created_by,
            "created_at": datetime.now(UTC),
        }
        await self._integrations.insert_one(record)
        return key, record

    async def integration_by_key(self, key: str) -> dict[str, Any] | None:
        """The active integration holding this API key, or None."""
        found = await self._integrations.find_one({"key_hash": digest(key), "revoked": False})
        return found

    async def integrations(self) -> list[dict[str, Any]]:
        """Every integration, newest first."""
        cursor = self._integrations.find({}, {"key_hash": 0}).sort("created_at", -1)
        return await cursor.to_list(None)

    async def revoke_integration(self, integration_id: str) -> None:
        """Make an integration's key useless from now on."""
        result = await self._integrations.update_one(
            {"_id": integration_id}, {"$set": {"revoked": True}}
        )
        if not result.matched_count:
            raise NotFound(f"integration {integration_id} not found", field="integration_id")
