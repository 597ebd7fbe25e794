"""Request and response bodies of the gateway's own API."""

from datetime import datetime
from typing import Annotated, Literal

from cmo_shared.http import Page
from cmo_shared.text import text
from cmo_shared.vocabulary import Email
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .domain import MIN_PASSWORD_LENGTH, Role

Name = text(200, min_length=0)
Id = text(100)


class TokenRead(BaseModel):
    """Tokens issued by `POST /auth/token` (RFC 6749 section 5.1)."""

    access_token: str = Field(description="JWT to send as `Authorization: Bearer <token>`.")
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str = Field(description="Use once, with `grant_type=refresh_token`.")


class MeRead(BaseModel):
    """The caller, as the gateway knows it."""

    user_id: str
    login: str
    role: Role
    member_id: str | None = None
    contact_id: str | None = None
    member_status: str | None = Field(None, description="The company's status, for members.")


class MemberInvitation(BaseModel):
    """Invite a member user of a company."""

    model_config = ConfigDict(extra="forbid")

    login: Email = Field(description="The invitee's email address, their login.")
    role: Literal["member"]
    member_id: Id = Field(description="The company of the member user.")
    contact_id: Id | None = Field(
        None, description="The company contact this user is (their inbox and preferences)."
    )
    name: Name = Field("", description="Empty: the contact's own name, else the login.")
    language: Literal["ka", "en"] | None = Field(
        None,
        description="Language of the invitation email; default: the contact's own language, "
        "else Georgian.",
    )


class StaffInvitation(BaseModel):
    """Invite a member of the CMO's staff (or an admin)."""

    model_config = ConfigDict(extra="forbid")

    login: Email = Field(description="The invitee's email address, their login.")
    role: Literal["staff", "admin"]
    name: Name = ""
    language: Literal["ka", "en"] = Field("ka", description="Language of the invitation email.")


InvitationWrite = MemberInvitation | StaffInvitation
"""Invite someone to create an account: a member user for a company, or staff."""


class InvitationRead(BaseModel):
    """An invitation; its token is shown only now."""

    invitation_id: str
    login: str
    role: Role
    member_id: str | None
    expires_at: datetime
    token: str = Field(description="Give it to the invitee; it sets their password once.")
    accept_url: str


class AcceptWrite(BaseModel):
    """Accept an invitation by choosing a password."""

    model_config = ConfigDict(extra="forbid")

    token: Annotated[str, StringConstraints(min_length=10, max_length=200)]
    password: Annotated[str, StringConstraints(min_length=MIN_PASSWORD_LENGTH, max_length=200)]


class UserRead(BaseModel):
    """An account (never its password)."""

    user_id: str = Field(validation_alias="_id")
    login: str
    name: str = ""
    role: Role
    member_id: str | None = None
    contact_id: str | None = None
    disabled: bool
    created_at: datetime


class UserPage(Page[UserRead]):
    """One page of accounts."""


class IntegrationWrite(BaseModel):
    """Register an automated consumer."""

    model_config = ConfigDict(extra="forbid")

    name: text(100)


class IntegrationRead(BaseModel):
    """An integration (its key is shown only when created)."""

    integration_id: str = Field(validation_alias="_id")
    name: str
    revoked: bool
    created_at: datetime
    api_key: str | None = Field(None, description="Shown once: send it as `X-API-Key`.")
