"""Scheduled jobs of funding applications."""

from cmo_shared.feature import Job
from cmo_shared.schedule import today_in_tbilisi

from .service import ApplicationService


def deadline_job(applications: ApplicationService, interval_s: float) -> Job:
    """Calls close the day after their close date; applicants are reminded a week before."""

    async def run() -> object:
        return await applications.run_deadlines(today_in_tbilisi())

    return Job("deadlines", interval_s, run)
