"""Membership fees: schedules by size tier, yearly invoices, instalments and arrears."""

from cmo_shared.feature import Feature

from .api import router
from .jobs import arrears_job
from .service import FeesService


def fees_feature(fees: FeesService, job_interval_s: float) -> Feature:
    """The fees feature: its API, its use cases and the arrears job."""
    return Feature("fees", router, [fees], jobs=[arrears_job(fees, job_interval_s)])
