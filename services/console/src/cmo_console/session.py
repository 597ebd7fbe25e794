"""Who is signed in, kept in the signed session cookie; CSRF tokens for every form.

The cookie is Starlette's signed session (`HttpOnly`, `SameSite=Lax`, `Secure` over HTTPS):
the browser's scripts never see the tokens, and nothing is kept in `localStorage`.
"""

import hmac
import secrets
from dataclasses import dataclass

from cmo_shared.errors import Forbidden
from starlette.requests import Request


class CsrfRefused(Forbidden):
    """A form came without this session's CSRF token."""

    code = "csrf_refused"


@dataclass(frozen=True)
class Visitor:
    """The signed-in user, as the gateway described them at sign-in."""

    login: str
    role: str
    member_id: str | None
    contact_id: str | None
    access: str
    refresh: str

    @property
    def staff(self) -> bool:
        """CMO staff (an admin or staff user) rather than a member company's user."""
        return self.role in ("admin", "staff")


def visitor(request: Request) -> Visitor | None:
    """The signed-in user, if any."""
    data = request.session
    if "access" not in data:
        return None
    return Visitor(
        data["login"],
        data["role"],
        data.get("member_id"),
        data.get("contact_id"),
        data["access"],
        data["refresh"],
    )


def sign_in(request: Request, me: dict, tokens: dict) -> None:
    """Remember a user who signed in (a new CSRF token with the new session)."""
    language = request.session.get("lang")
    request.session.clear()
    request.session.update(
        login=me["login"],
        role=me["role"],
        member_id=me.get("member_id"),
        contact_id=me.get("contact_id"),
        access=tokens["access_token"],
        refresh=tokens["refresh_token"],
        csrf=secrets.token_urlsafe(32),
    )
    if language:
        request.session["lang"] = language


def sign_out(request: Request) -> None:
    """Forget the user (the language choice stays)."""
    language = request.session.get("lang")
    request.session.clear()
    if language:
        request.session["lang"] = language


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    if "csrf" not in request.session:
        request.session["csrf"] = secrets.token_urlsafe(32)
    return request.session["csrf"]


def check_csrf(request: Request, given: str | None) -> None:
    """Refuse a form whose CSRF token is not this session's."""
    expected = request.session.get("csrf")
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise CsrfRefused("the form expired or came from elsewhere; reload the page")
