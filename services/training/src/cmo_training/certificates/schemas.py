"""Request and response bodies of the attendance and certificates API."""

from datetime import datetime
from typing import Any

from cmo_shared.http import Page
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field


class AttendanceWrite(BaseModel):
    """Who was present at one sitting (recorded again, it replaces)."""

    model_config = ConfigDict(extra="forbid")

    sitting_id: text(100)
    present: list[text(100)] = Field(max_length=10_000, description="`contact_id`s present.")


class RevokeWrite(BaseModel):
    """Why a certificate is revoked."""

    model_config = ConfigDict(extra="forbid")

    reason: text(500)


class CertificateRead(BaseModel):
    """A certificate: the Open Badges 3.0 credential and its signed VC-JWT."""

    model_config = ConfigDict(from_attributes=True)

    certificate_id: str
    session_id: str
    member_id: str
    name: str
    title: dict[str, str]
    attendance: float = Field(description="Share of the sittings attended.")
    issued_at: datetime
    credential: dict[str, Any] = Field(description="The OpenBadgeCredential (VCDM 2.0).")
    jwt: str = Field(description="The credential as a VC-JWT signed with the CMO's Ed25519 key.")
    revoked_at: datetime | None
    revoked_reason: str | None


class CertificatePage(Page[CertificateRead]):
    """A page of certificates."""


class VerificationRead(BaseModel):
    """What verifying a certificate found."""

    certificate_id: str
    valid: bool = Field(description="Signed by the CMO, unaltered and not revoked.")
    signature: bool
    revoked: bool
    revoked_reason: str | None
