"""Attendance and certificates: record who was present, certify who attended enough."""

import asyncio
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cmo_shared.errors import Invalid

from ..registrations.service import RegistrationService
from ..sessions.domain import Session
from ..sessions.service import SessionService
from .document import certificate_pdf
from .domain import AlreadyRevoked, Certificate, open_badge
from .repository import CertificateRepository
from .signer import Signer


@dataclass
class CertificateService:
    """Attendance, Open Badges 3.0 certificates, their verification and revocation."""

    certificates: CertificateRepository
    sessions: SessionService
    registrations: RegistrationService
    signer: Signer
    public_url: str
    issuer_name: str

    async def record_attendance(
        self, session_id: str, sitting_id: str, present: list[str]
    ) -> Session:
        """Who of the confirmed people was present at a sitting."""
        confirmed = await self.registrations.people_confirmed(session_id)
        if unknown := sorted(set(present) - set(confirmed)):
            raise Invalid(f"not confirmed for the session: {', '.join(unknown)}", field="present")
        return await self.sessions.record_attendance(session_id, sitting_id, present)

    async def complete(self, session_id: str) -> list[Certificate]:
        """Close attendance and certify every person present at enough of the sittings.

        Emits `certificate.issued` per person; ids derive from session and person, so a
        repeated request issues nothing twice.
        """
        confirmed = await self.registrations.people_confirmed(session_id)
        session = await self.sessions.complete(session_id)
        now = datetime.now(UTC)
        issued = []
        for contact_id, (registration, person) in confirmed.items():
            share = session.attended_share(contact_id)
            if share + 1e-9 < session.attendance_threshold:
                continue
            certificate_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{session_id}:{contact_id}"))
            credential = open_badge(
                certificate_id=certificate_id,
                issuer_id=f"{self.public_url}/issuer",
                issuer_name=self.issuer_name,
                achievement_id=f"{self.public_url}/sessions/{session_id}",
                title=session.title,
                threshold=session.attendance_threshold,
                email=person.email,
                salt=secrets.token_hex(8),
                issued_at=now,
            )
            issued.append(
                Certificate(
                    certificate_id,
                    session_id,
                    registration.member_id,
                    registration.legal_name,
                    contact_id,
                    person.name,
                    person.email,
                    person.language,
                    session.title,
                    round(share, 4),
                    now,
                    credential,
                    self.signer.sign(credential, now),
                )
            )
        await self.certificates.add_new([(c, [c.issued(self._url(c))]) for c in issued])
        for registration, _ in {r.registration_id: (r, p) for r, p in confirmed.values()}.values():
            present = any(session.attended_share(p.contact_id) > 0 for p in registration.people)
            await self.registrations.close(registration.registration_id, present)
        return issued

    def _url(self, certificate: Certificate) -> str:
        return f"{self.public_url}/certificates/{certificate.certificate_id}"

    async def revoke(self, certificate_id: str, reason: str) -> Certificate:
        """Revoke a certificate; emits `certificate.revoked`."""
        async with self.certificates.changing(certificate_id) as change:
            change.record(change.item.revoke(reason, datetime.now(UTC)))
        return change.item

    async def verify(self, certificate_id: str) -> dict[str, Any]:
        """Whether a certificate is the CMO's, unaltered and not revoked."""
        certificate = await self.certificates.get(certificate_id)
        signed = self.signer.verify(certificate.jwt) == certificate.credential
        revoked = certificate.revoked_at is not None
        return {
            "certificate_id": certificate_id,
            "valid": signed and not revoked,
            "signature": signed,
            "revoked": revoked,
            "revoked_reason": certificate.revoked_reason,
        }

    async def pdf(self, certificate_id: str) -> bytes:
        """A certificate to print, with a QR code of its verification address."""
        certificate = await self.certificates.get(certificate_id)
        if certificate.revoked_at is not None:
            raise AlreadyRevoked(f"the certificate was revoked: {certificate.revoked_reason}")
        verify_url = f"{self._url(certificate)}/verify"
        return await asyncio.to_thread(certificate_pdf, certificate, self.issuer_name, verify_url)

    async def get(self, certificate_id: str) -> Certificate:
        """One certificate, or `NotFound`."""
        return await self.certificates.get(certificate_id)

    async def search(
        self, *, member_id: str | None, session_id: str | None, page: int, page_size: int
    ) -> tuple[list[Certificate], int]:
        """Certificates, newest first."""
        return await self.certificates.search(
            member_id=member_id, session_id=session_id, page=page, page_size=page_size
        )
