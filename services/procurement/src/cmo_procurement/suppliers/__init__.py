"""The registry of suppliers that offer in joint tenders."""

from cmo_shared.feature import Feature

from .api import router
from .service import SupplierService


def suppliers_feature(suppliers: SupplierService) -> Feature:
    """The suppliers feature: its API and use cases."""
    return Feature("suppliers", router, [suppliers])
