"""Delivery records: their statuses, their state from the log, and when to try again.

Pure rules, no I/O.
"""

import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class DeliveryStatus(StrEnum):
    """Lifecycle of one message to one recipient on one channel."""

    PENDING = "pending"
    DIGEST = "digest"
    DIGESTED = "digested"
    SENT = "sent"
    RETRYING = "retrying"
    DEAD = "dead"


STATE_FIELDS = ("status", "attempts", "last_error", "next_attempt_at", "digest_id")


def current_state(record: dict[str, Any], log: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A delivery record overlaid with the state its latest log entry sets."""
    latest = max(log, key=lambda entry: entry["at"], default=None)
    if latest is None:
        return record
    state = {k: latest[k] for k in STATE_FIELDS if k in latest}
    return {**record, **state, "updated_at": latest["at"]}


def next_attempt_at(
    schedule_s: list[float], attempts_made: int, now: datetime, retry_after_s: float | None = None
) -> datetime | None:
    """When to try again after `attempts_made` failures, or None when the schedule is spent.

    A ±10 % jitter spreads retries of many deliveries; a server's `Retry-After` is honoured
    when it asks for longer.
    """
    if attempts_made >= len(schedule_s):
        return None
    delay = schedule_s[attempts_made] * random.uniform(0.9, 1.1)
    if retry_after_s is not None:
        delay = max(delay, retry_after_s)
    return now + timedelta(seconds=delay)


def retry_class(status: int) -> str:
    """How a webhook endpoint's HTTP status is treated: `ok`, `retry`, `gone` or `permanent`."""
    if 200 <= status < 300:
        return "ok"
    if status == 410:
        return "gone"
    if status in (408, 429) or status >= 500:
        return "retry"
    return "permanent"
