"""The yearly catalogue of common services, seeded from the CMO's own list."""

from cmo_shared.feature import Feature
from cmo_shared.schedule import today_in_tbilisi

from .api import router
from .service import CatalogueService


def catalogue_feature(catalogue: CatalogueService) -> Feature:
    """The catalogue feature: its API, and this year's catalogue seeded at start."""

    async def seed_this_year() -> None:
        await catalogue.seed(today_in_tbilisi().year)

    return Feature("catalogue", router, [catalogue], on_start=[seed_this_year])
