"""The CMO's controlled vocabulary of procurement categories."""

from cmo_shared.feature import Feature

from .api import router
from .service import CategoryService


def categories_feature(categories: CategoryService) -> Feature:
    """The categories feature: its API and use cases."""
    return Feature("categories", router, [categories])
