"""Scheduled jobs of the daily digests."""

from datetime import UTC, datetime

from cmo_shared.feature import Job

from .service import DigestJob


def digest_job(digests: DigestJob, interval_s: float) -> Job:
    """Every contact's held emails, once a day at its hour."""

    async def run() -> int:
        return await digests.run(datetime.now(UTC))

    return Job("digest", interval_s, run)
