"""Certificates of attendance as Open Badges 3.0 credentials: pure rules.

A person is certified when present at no less than the session's threshold of its sittings
(80 % unless set). The certificate is an `OpenBadgeCredential` (Verifiable Credentials Data
Model 2.0), signed as a VC-JWT with the CMO's Ed25519 key (JOSE alg `Ed25519`, RFC 9864);
the subject is named by a salted hash of the person's email, never the address itself.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cmo_contracts.members import ContactSnapshot
from cmo_contracts.training import CertificateIssued, CertificateRevoked
from cmo_shared.errors import Conflict

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


class AlreadyRevoked(Conflict):
    """The certificate was revoked already."""

    code = "certificate_revoked"


def identity_hash(email: str, salt: str) -> str:
    """The OB 3.0 `identityHash` of an email address: `sha256$` and the hex digest."""
    digest = hashlib.sha256((email.strip().casefold() + salt).encode()).hexdigest()
    return f"sha256${digest}"


def open_badge(
    *,
    certificate_id: str,
    issuer_id: str,
    issuer_name: str,
    achievement_id: str,
    title: dict[str, str],
    threshold: float,
    email: str,
    salt: str,
    issued_at: datetime,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of one person's attendance."""
    return {
        "@context": CONTEXTS,
        "id": f"urn:uuid:{certificate_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name},
        "validFrom": issued_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "name": title["en"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": identity_hash(email, salt),
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": title["en"],
                "description": f"{title['en']} / {title['ka']}",
                "criteria": {
                    "narrative": f"Present at no less than {threshold:.0%} of the sittings."
                },
            },
        },
    }


@dataclass
class Certificate:
    """One person's certificate of attendance."""

    certificate_id: str
    session_id: str
    member_id: str
    legal_name: str
    contact_id: str
    name: str
    email: str
    language: str
    title: dict[str, str]
    attendance: float
    issued_at: datetime
    credential: dict[str, Any]
    jwt: str
    revoked_at: datetime | None = None
    revoked_reason: str | None = None

    def issued(self, url: str) -> CertificateIssued:
        """The event telling the person."""
        return CertificateIssued(
            certificate_id=self.certificate_id,
            session_id=self.session_id,
            member_id=self.member_id,
            legal_name=self.legal_name,
            contacts=[
                ContactSnapshot(
                    contact_id=self.contact_id,
                    name=self.name,
                    email=self.email,
                    language=self.language,
                )
            ],
            title=self.title,
            attendance=self.attendance,
            url=url,
        )

    def revoke(self, reason: str, now: datetime) -> CertificateRevoked:
        """Revoke it: verification fails from now on."""
        if self.revoked_at is not None:
            raise AlreadyRevoked(f"certificate {self.certificate_id} is revoked already")
        self.revoked_at, self.revoked_reason = now, reason
        return CertificateRevoked(
            certificate_id=self.certificate_id, member_id=self.member_id, reason=reason
        )
