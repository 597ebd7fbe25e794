"""Joint tenders: lots from pools, sealed tiered offers, comparison, award, open data."""

from cmo_shared.feature import Feature

from .api import router
from .jobs import deadline_job
from .service import TenderService


def tenders_feature(tenders: TenderService, job_interval_s: float) -> Feature:
    """The tenders feature: its API, use cases and the deadline job."""
    return Feature("tenders", router, [tenders], jobs=[deadline_job(tenders, job_interval_s)])
