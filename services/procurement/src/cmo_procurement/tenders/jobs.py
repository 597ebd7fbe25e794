"""Scheduled jobs of tenders."""

from datetime import UTC, datetime

from cmo_shared.feature import Job

from .service import TenderService


def deadline_job(tenders: TenderService, interval_s: float) -> Job:
    """Open tenders past their deadline are unsealed for evaluation."""

    async def run() -> object:
        return await tenders.run_deadlines(datetime.now(UTC))

    return Job("tender-deadlines", interval_s, run)
