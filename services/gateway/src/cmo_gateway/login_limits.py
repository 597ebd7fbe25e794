"""Login attempts limited per account and per client address (moving windows, in memory)."""

import math
import time

from cmo_shared.errors import DomainError
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class TooManyAttempts(DomainError):
    """Too many logins in the window; `retry_after_s` says when to try again."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after_s: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after_s = retry_after_s

    @property
    def headers(self) -> dict[str, str]:
        """When to try again."""
        return {"Retry-After": str(self.retry_after_s)}


class LoginLimits:
    """Counts every login attempt against its account and its client address."""

    def __init__(self, per_account: int, per_address: int, window_s: int) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._account = RateLimitItemPerSecond(per_account, window_s)
        self._address = RateLimitItemPerSecond(per_address, window_s)

    def attempt(self, login: str, address: str) -> None:
        """Count an attempt, or refuse it with `TooManyAttempts` while over either limit."""
        for item, kind, key, field in (
            (self._address, "address", address, None),
            (self._account, "account", login.strip().lower(), "username"),
        ):
            if not self._limiter.hit(item, "login", kind, key):
                reset = self._limiter.get_window_stats(item, "login", kind, key).reset_time
                raise TooManyAttempts(
                    f"too many sign-in attempts for this {kind}; try again later",
                    retry_after_s=max(1, math.ceil(reset - time.time())),
                    field=field,
                )
