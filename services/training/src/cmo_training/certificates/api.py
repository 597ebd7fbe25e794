"""HTTP API of attendance, certificates, their verification and the CMO's public key."""

from typing import Annotated, Any

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from fastapi import APIRouter, Response

from ..sessions.schemas import SessionRead
from .schemas import (
    AttendanceWrite,
    CertificatePage,
    CertificateRead,
    RevokeWrite,
    VerificationRead,
)
from .service import CertificateService

router = APIRouter(tags=["training"], responses=ERROR_RESPONSES)
Service = Annotated[CertificateService, provided(CertificateService)]


@router.post("/sessions/{session_id}/attendance", summary="Record a sitting's attendance")
async def attendance(session_id: str, body: AttendanceWrite, service: Service) -> SessionRead:
    """Who of the confirmed people was present (recorded again, it replaces)."""
    session = await service.record_attendance(session_id, body.sitting_id, list(body.present))
    return SessionRead.model_validate(session)


@router.post("/sessions/{session_id}/complete", summary="Close attendance and certify")
async def complete(session_id: str, service: Service) -> list[CertificateRead]:
    """Certificates for the people present at enough sittings; emits `certificate.issued`."""
    return [CertificateRead.model_validate(c) for c in await service.complete(session_id)]


@router.get("/certificates", summary="List certificates")
async def search(
    service: Service,
    member_id: str | None = None,
    session_id: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> CertificatePage:
    """Newest first; a company's with `member_id`."""
    items, total = await service.search(
        member_id=member_id, session_id=session_id, page=page, page_size=page_size
    )
    return CertificatePage.of(
        [CertificateRead.model_validate(c) for c in items], total, page, page_size
    )


@router.get("/certificates/{certificate_id}", summary="Get a certificate")
async def get(certificate_id: str, service: Service) -> CertificateRead:
    """The credential and its VC-JWT, to download."""
    return CertificateRead.model_validate(await service.get(certificate_id))


@router.get(
    "/certificates/{certificate_id}/pdf",
    summary="A certificate to print",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def as_pdf(certificate_id: str, service: Service) -> Response:
    """In Georgian and English, with a QR code of its verification address."""
    disposition = f'inline; filename="certificate-{certificate_id}.pdf"'
    return Response(
        await service.pdf(certificate_id),
        media_type="application/pdf",
        headers={"Content-Disposition": disposition},
    )


@router.get("/certificates/{certificate_id}/verify", summary="Verify a certificate")
async def verify(certificate_id: str, service: Service) -> VerificationRead:
    """Public: whether it is the CMO's, unaltered and not revoked."""
    return VerificationRead.model_validate(await service.verify(certificate_id))


@router.post("/certificates/{certificate_id}/revoke", summary="Revoke a certificate")
async def revoke(certificate_id: str, body: RevokeWrite, service: Service) -> CertificateRead:
    """Verification fails from now on; emits `certificate.revoked`."""
    return CertificateRead.model_validate(await service.revoke(certificate_id, body.reason))


@router.get("/.well-known/jwks.json", summary="The CMO's certificate signing key")
async def jwks(service: Service) -> dict[str, Any]:
    """Public: the Ed25519 key (JWK Set) that verifies every certificate offline."""
    return {"keys": [service.signer.jwk()]}
