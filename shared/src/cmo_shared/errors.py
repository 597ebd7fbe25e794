"""Domain error base classes, mapped to HTTP statuses in one place (`cmo_shared.http`)."""


class DomainError(Exception):
    """A rule of the domain refused the request; `code` is machine-readable."""

    status = 400
    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def headers(self) -> dict[str, str]:
        """Response headers that go with the error (`Retry-After`, `WWW-Authenticate`)."""
        return {}


class NotFound(DomainError):
    """The addressed resource does not exist (or is not visible to the caller)."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request conflicts with the resource's current state or with another resource."""

    status = 409
    code = "conflict"
