"""Login attempts limited per account and per client address (moving windows, in memory)."""

import math
import time

from cmo_shared.errors import TooManyRequests
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class TooManyAttempts(TooManyRequests):
    """Too many logins in the window; `retry_after_s` says when to try again."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after_s: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after_s = retry_after_s

    @property
    def headers(self) -> dict[str, str]:
        """When to try again."""
        return {"Retry-After": str(self.retry_after_s)}


class LoginLimits:
    """Every attempt counts against its client address; failed ones against their account."""

    def __init__(self, per_account: int, per_address: int, window_s: int) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._account = RateLimitItemPerSecond(per_account, window_s)
        self._address = RateLimitItemPerSecond(per_address, window_s)

    def attempt(self, login: str, address: str) -> None:
        """Count an attempt, or refuse it (`TooManyAttempts`) while either limit is reached."""
        if not self._limiter.hit(self._address, "login", "address", address):
            self._refuse(self._address, "address", address, None)
        account = login.strip().lower()
        if not self._limiter.test(self._account, "login", "account", account):
            self._refuse(self._account, "account", account, "username")

    def failed(self, login: str) -> None:
        """Count a failed attempt against its account."""
        self._limiter.hit(self._account, "login", "account", login.strip().lower())

    def _refuse(self, item: RateLimitItemPerSecond, kind: str, key: str, field: str | None) -> None:
        reset = self._limiter.get_window_stats(item, "login", kind, key).reset_time
        raise TooManyAttempts(
            f"too many sign-in attempts for this {kind}; try again later",
            retry_after_s=max(1, math.ceil(reset - time.time())),
            field=field,
        )
