"""HTTP conventions shared by every service: one error envelope, correlation ids, health probes."""

import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Annotated, Any, Generic, Self, TypeVar, get_args, get_origin

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, BeforeValidator, Field
from pymongo.errors import ConnectionFailure, OperationFailure
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TimedOut,
    TooManyRequests,
    Unauthenticated,
    Unavailable,
)
from .logging import correlation_id
from .tracing import tag_correlation

log = logging.getLogger(__name__)

CORRELATION_HEADER = "X-Correlation-ID"
STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    503: "unavailable",
}


class ErrorBody(BaseModel):
    """What went wrong, for machines (`code`, `field`) and for people (`message`)."""

    code: str = Field(description="Machine-readable error code.", examples=["validation_error"])
    message: str = Field(description="Human-readable explanation.")
    field: str | None = Field(None, description="Dotted path of the offending input, if any.")
    details: list[dict[str, Any]] | None = Field(
        None, description="Every validation problem, when there are several."
    )


class ErrorResponse(BaseModel):
    """The single error envelope returned by every service and the gateway."""

    error: ErrorBody


def error_response(
    status: int, code: str, message: str, field: str | None = None, **extra: Any
) -> JSONResponse:
    """Build a JSON response in the error envelope."""
    body = ErrorBody(code=code, message=message, field=field, **extra)
    return JSONResponse({"error": body.model_dump(exclude_none=True)}, status_code=status)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    details = [
        {"field": _field_path(tuple(e["loc"])), "message": e["msg"], "type": e["type"]}
        for e in errors
    ]
    first = details[0] if details else {"field": None, "message": "invalid request"}
    return error_response(
        422,
        "validation_error",
        f"{first['field']}: {first['message']}",
        first["field"],
        details=details,
    )


STATUS_OF_KIND: dict[type[DomainError], int] = {
    Invalid: 422,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooManyRequests: 429,
    Unavailable: 503,
    TimedOut: 504,
    DomainError: 400,
}
"""The HTTP status of each kind of domain error (the nearest kind in a class's ancestry)."""


def status_of(error: DomainError) -> int:
    """The HTTP status answering a domain error."""
    return next(STATUS_OF_KIND[k] for k in type(error).__mro__ if k in STATUS_OF_KIND)


async def _on_domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    response = error_response(status_of(exc), exc.code, exc.message, exc.field)
    response.headers.update(exc.headers)
    return response


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = STATUS_CODES.get(exc.status_code, "http_error")
    response = error_response(exc.status_code, code, str(exc.detail))
    response.headers.update(exc.headers or {})
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(allowed_methods(request))
    return response


def allowed_methods(request: Request) -> list[str]:
    """The methods of the path the request's URL names (for `Allow`).

    The path is the first route template that matches the URL, as routing picks it:
    `/webhooks/event-types` is its own path, not `/webhooks/{endpoint_id}`'s.
    """
    endpoints = list(_endpoints(request.app.router.routes))
    path = request.scope["path"]
    template = next((t for t, _ in endpoints if compile_path(t)[0].match(path)), None)
    methods = {m for t, ms in endpoints if t == template for m in ms}
    return [m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if m in methods]


def _endpoints(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """(path template, methods) of every route, included routers' too, in routing order."""
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI's lazily included router
        if included is not None:
            context_prefix = getattr(getattr(route, "include_context", None), "prefix", "")
            yield from _endpoints(included.routes, prefix + context_prefix)
        elif isinstance(getattr(route, "path", None), str):
            yield prefix + route.path, set(getattr(route, "methods", None) or ())


async def _on_unexpected_error(_: Request, exc: Exception) -> JSONResponse:
    if database_unavailable(exc):
        log.warning("database unavailable: %s", exc)
        response = error_response(503, "unavailable", "the database is busy; try again shortly")
        response.headers["Retry-After"] = "1"
        return response
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, "internal_error", "internal error; quote the correlation id")


def database_unavailable(exc: BaseException) -> bool:
    """Whether an error means the database is down or busy for now (nothing was written)."""
    if isinstance(exc, ConnectionFailure):
        return True
    return isinstance(exc, OperationFailure) and "SQLITE_BUSY" in str(exc)


class CorrelationMiddleware:
    """Carries the request's `X-Correlation-ID` (or a new one) into logs, events and the answer.

    Plain ASGI rather than Starlette's `BaseHTTPMiddleware`, which runs every request in a
    task of its own and costs the gateway a tenth of its throughput.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Set the correlation id for the request and echo it on the response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(CORRELATION_HEADER)
        value = (given or str(uuid.uuid4()))[:128]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[CORRELATION_HEADER] = value
            await send(message)

        token = correlation_id.set(value)
        tag_correlation(value)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            correlation_id.reset(token)


def install_http_conventions(app: FastAPI) -> None:
    """Register the error envelope handlers and the correlation-id middleware on an app."""
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected_error)
    app.add_middleware(CorrelationMiddleware)


def health_router(ready: Callable[[], Awaitable[dict[str, bool]]]) -> APIRouter:
    """`/health` (process up) and `/ready` (every dependency reachable) probes."""
    router = APIRouter(tags=["health"])

    @router.get("/health", summary="Process is up")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/ready",
        summary="Kafka and the database are reachable",
        responses={503: {"model": ErrorResponse}},
    )
    async def readiness() -> JSONResponse:
        checks = await ready()
        status = 200 if all(checks.values()) else 503
        return JSONResponse(
            {"status": "ready" if status == 200 else "not_ready", "checks": checks},
            status_code=status,
        )

    return router


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "Not found"},
    409: {"model": ErrorResponse, "description": "Conflicts with current state"},
    422: {"model": ErrorResponse, "description": "Invalid input"},
}


def given(**values: Any) -> dict[str, Any]:
    """The keyword arguments that were given (not None): a query from optional filters."""
    return {k: v for k, v in values.items() if v is not None}


DEFAULT_ERROR: dict[int | str, dict[str, Any]] = {
    "default": {"model": ErrorResponse, "description": "Any other error, in the error envelope"}
}


class RepeatedParameter(Invalid):
    """A single-valued query parameter was given more than once."""

    code = "validation_error"


async def single_valued_query(request: Request) -> None:
    """Refuse a query parameter given twice unless the route takes a list of it.

    `async` although it awaits nothing: FastAPI runs a plain `def` dependency in a worker
    thread, and this one runs on every request of every service.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    for param in dependant.query_params:
        name = param.alias
        if len(request.query_params.getlist(name)) > 1 and not _takes_many(param.field_info):
            raise RepeatedParameter(f"{name}: give it once", field=name)


def _takes_many(field_info: Any) -> bool:
    annotation = field_info.annotation
    kinds = {get_origin(a) or a for a in (annotation, *get_args(annotation))}
    return bool(kinds & {list, tuple, set, frozenset})


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$"
)


def _iso(pattern: re.Pattern[str], what: str) -> Any:
    def check(value: object) -> object:
        if isinstance(value, str) and not pattern.fullmatch(value):
            raise ValueError(f"an ISO 8601 {what}")
        if isinstance(value, int | float):
            raise ValueError(f"an ISO 8601 {what}, not a number")
        return value

    return BeforeValidator(check)


IsoDate = Annotated[date, _iso(_ISO_DATE, "date (2026-11-28)")]
"""A date given as `YYYY-MM-DD` only (pydantic alone also reads numbers as timestamps)."""
IsoDateTime = Annotated[
    AwareDatetime, _iso(_ISO_DATETIME, "date and time with its zone (2026-11-28T09:00:00Z)")
]
"""A date and time in ISO 8601 with its zone, only."""


PageNumber = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]
"""The `page` query parameter of every paged list."""
PageSize = Annotated[int, Query(ge=1, le=100, description="Items per page, at most 100.")]
"""The `page_size` query parameter of every paged list."""


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: its items, the total over all pages, and where the page is.

    A list's page type is a subclass that only names it, e.g.
    `class MemberPage(Page[MemberRead])`, so API documents show `MemberPage`.
    """

    items: list[T]
    total: int = Field(description="Items matching the filters, over all pages.")
    page: int = Field(description="Page number, from 1.")
    page_size: int = Field(description="Items per page.")

    @classmethod
    def of(cls, items: Sequence[Any], total: int, page: int, page_size: int) -> Self:
        """The page holding these items."""
        return cls(items=list(items), total=total, page=page, page_size=page_size)
