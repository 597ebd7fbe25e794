"""The public directory of member companies (JSON and CSV)."""

from cmo_shared.feature import Feature

from .api import router
from .service import DirectoryService


def directory_feature(directory: DirectoryService) -> Feature:
    """The directory feature: its public feeds."""
    return Feature("directory", router, [directory])
