"""Response bodies of the audit log's API."""

from datetime import datetime
from typing import Literal

from cmo_shared.http import Page
from pydantic import BaseModel


class AuditRead(BaseModel):
    """One state-changing request."""

    at: datetime
    user_id: str | None
    login: str | None
    role: str | None
    member_id: str | None
    service: str
    method: str
    route: str
    path: str
    target_id: str | None
    status: int
    outcome: Literal["success", "refused", "error"]
    correlation_id: str
    client: str | None


class AuditPage(Page[AuditRead]):
    """One page of the audit log."""
