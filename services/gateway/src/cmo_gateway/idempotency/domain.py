"""Idempotency keys (IETF httpapi `Idempotency-Key` draft): pure rules.

A key is the caller's: the same key from another caller is another key. The first request
with a key is run; the same key with the same request within the retention answers the stored
answer again without running it; the same key with another request is refused (422); while
the first is still running, a second is told to retry (409). An answer of 5xx is not kept, so
the request may be tried again.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from cmo_shared.errors import Conflict, DomainError, Invalid

RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 255


class InvalidIdempotencyKey(DomainError):
    """The `Idempotency-Key` header is empty, too long or not printable ASCII."""

    code = "invalid_idempotency_key"


class KeyReused(Invalid):
    """The key was used for another request."""

    code = "idempotency_key_reused"


class KeyInFlight(Conflict):
    """The first request with this key is still running."""

    code = "idempotency_key_in_flight"

    @property
    def headers(self) -> dict[str, str]:
        """Retry shortly."""
        return {"Retry-After": "1"}


def checked_key(key: str) -> str:
    """The key if it is usable, else `InvalidIdempotencyKey`."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidIdempotencyKey(
            f"1 to {MAX_KEY_LENGTH} printable ASCII characters", field="Idempotency-Key"
        )
    return key


def record_id(scope: str, key: str) -> str:
    """Where a caller's key is kept."""
    return hashlib.sha256(f"{scope}\n{key}".encode()).hexdigest()


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """What makes two requests the same request."""
    digest = hashlib.sha256(f"{method} {path}?{query}\n".encode())
    digest.update(body)
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredAnswer:
    """The first answer to a key, to give again."""

    status: int
    body: bytes
    content_type: str | None


@dataclass(frozen=True)
class KeyRecord:
    """A key's state: its request's fingerprint, when it came, and its answer once there."""

    fingerprint: str
    created_at: datetime
    answer: StoredAnswer | None

    def expired(self, now: datetime) -> bool:
        """Older than the retention: the key may be used afresh."""
        return now - self.created_at > RETENTION

    def replay(self, fingerprint: str) -> StoredAnswer:
        """The stored answer for the same request, or why there is none to give."""
        if fingerprint != self.fingerprint:
            raise KeyReused(
                "this Idempotency-Key was used for another request", field="Idempotency-Key"
            )
        if self.answer is None:
            raise KeyInFlight("the first request with this Idempotency-Key is still running")
        return self.answer
