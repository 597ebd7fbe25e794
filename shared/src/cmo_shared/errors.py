"""Domain errors by kind; `cmo_shared.http.STATUS_OF_KIND` maps each kind to an HTTP status.

A rule that refuses a request raises a subclass of one kind with its own machine-readable
`code`; it never names a status itself.
"""


class DomainError(Exception):
    """A rule of the domain refused the request; `code` is machine-readable."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def headers(self) -> dict[str, str]:
        """Response headers that go with the error (`Retry-After`, `WWW-Authenticate`)."""
        return {}


class Invalid(DomainError):
    """The request itself is invalid (a value no rule accepts)."""

    code = "validation_error"


class Unauthenticated(DomainError):
    """The caller is not (or no longer) known: credentials are missing or refused."""

    code = "unauthorized"


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    code = "forbidden"


class NotFound(DomainError):
    """The addressed resource does not exist (or is not visible to the caller)."""

    code = "not_found"


class Conflict(DomainError):
    """The request conflicts with the resource's current state or with another resource."""

    code = "conflict"


class TooManyRequests(DomainError):
    """The caller must wait before trying again."""

    code = "too_many_requests"


class Unavailable(DomainError):
    """Something the request needs cannot be reached right now."""

    code = "unavailable"


class TimedOut(DomainError):
    """Something the request needs did not answer in time."""

    code = "timeout"
