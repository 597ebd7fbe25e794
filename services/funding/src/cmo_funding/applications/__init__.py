"""Members' applications to the calls they were matched with, and the calls' deadlines."""

from cmo_shared.feature import Feature

from .api import router
from .jobs import deadline_job
from .service import ApplicationService


def applications_feature(applications: ApplicationService, job_interval_s: float) -> Feature:
    """The applications feature: its API, its use cases and the deadline job."""
    return Feature(
        "applications", router, [applications], jobs=[deadline_job(applications, job_interval_s)]
    )
