"""Access to certification, audit, ERP, advisory and technology services."""

from cmo_shared.feature import Feature

from .api import router
from .service import SupportService


def support_feature(support: SupportService) -> Feature:
    """The support feature: providers, requests and feedback."""
    return Feature("support", router, [support])
