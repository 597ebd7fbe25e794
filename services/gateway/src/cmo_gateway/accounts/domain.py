"""Users, roles and what each may do: pure rules, no I/O."""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a user is to the CMO."""

    ADMIN = "admin"
    STAFF = "staff"
    MEMBER = "member"
    INTEGRATION = "integration"


STAFF_ROLES = frozenset({Role.ADMIN, Role.STAFF})
EVERYONE = frozenset(Role)
MIN_PASSWORD_LENGTH = 12


@dataclass(frozen=True)
class Principal:
    """An authenticated caller."""

    user_id: str
    login: str
    role: Role
    member_id: str | None = None
    contact_id: str | None = None
    session_id: str | None = None

    @property
    def owner_id(self) -> str | None:
        """Whose resources this caller owns: its company, or the integration itself."""
        if self.role is Role.MEMBER:
            return self.member_id
        if self.role is Role.INTEGRATION:
            return self.user_id
        return None

    @property
    def owner_kind(self) -> str | None:
        """The kind of owner (`member` or `integration`), as webhooks name it."""
        return {Role.MEMBER: "member", Role.INTEGRATION: "integration"}.get(self.role)


def may_invite(inviter: Role, invitee: Role) -> bool:
    """Staff invite member users; only admins invite staff and admins."""
    if invitee is Role.MEMBER:
        return inviter in STAFF_ROLES
    if invitee in STAFF_ROLES:
        return inviter is Role.ADMIN
    return False


def password_problem(password: str, login: str) -> str | None:
    """Why a password is not acceptable, or None (length over composition, as NIST advises)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters"
    if password.lower() in login.lower():
        return "must not be (part of) the login"
    return None
