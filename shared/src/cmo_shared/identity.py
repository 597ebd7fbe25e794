"""Who is calling and on behalf of which request, as passed by the gateway in headers."""

from typing import Annotated

from fastapi import Depends, Header

from .logging import correlation_id


def _actor(x_cmo_user: Annotated[str | None, Header(include_in_schema=False)] = None) -> str:
    # Until the gateway issue lands, calls without an identity header are attributed to staff.
    return x_cmo_user or "staff"


def _correlation_id() -> str:
    value = correlation_id.get()
    assert value is not None, "correlation-id middleware not installed"
    return value


Actor = Annotated[str, Depends(_actor)]
CorrelationId = Annotated[str, Depends(_correlation_id)]
