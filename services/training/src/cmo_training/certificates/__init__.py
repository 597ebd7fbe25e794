"""Attendance and Open Badges 3.0 certificates anyone can verify."""

from cmo_shared.feature import Feature

from .api import router
from .service import CertificateService


def certificates_feature(certificates: CertificateService) -> Feature:
    """The certificates feature."""
    return Feature("certificates", router, [certificates])
