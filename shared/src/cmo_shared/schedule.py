"""Georgia's calendar and the loop that runs a service's scheduled jobs."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

TBILISI = ZoneInfo("Asia/Tbilisi")


def today_in_tbilisi() -> date:
    """The current date in Georgia."""
    return datetime.now(TBILISI).date()


async def run_every(interval_s: float, job: Callable[[], Awaitable[object]], name: str) -> None:
    """Run `job` now and then every `interval_s` seconds; a failed run is logged and retried."""
    while True:
        try:
            result = await job()
            log.info("%s job: %s", name, result)
        except Exception:
            log.warning("%s job failed; will run again", name, exc_info=True)
        await asyncio.sleep(interval_s)
