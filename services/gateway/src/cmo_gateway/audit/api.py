"""HTTP API of the audit log, and the record each state-changing request leaves in it."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from cmo_shared.feature import provided
from cmo_shared.http import IsoDateTime, PageNumber, PageSize
from fastapi import APIRouter, Request

from ..accounts.domain import Principal
from ..routing.access import Caller
from ..routing.routes import Route
from .repository import AuditLog
from .schemas import AuditPage, AuditRead

router = APIRouter()
Audit = Annotated[AuditLog, provided(AuditLog)]


@router.get("/audit", summary="The audit log", tags=["users"])
async def audit(
    _: Caller,
    audit_log: Audit,
    user_id: str | None = None,
    member_id: str | None = None,
    service: str | None = None,
    route: str | None = None,
    outcome: Literal["success", "refused", "error"] | None = None,
    since: IsoDateTime | None = None,
    until: IsoDateTime | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> AuditPage:
    """State-changing requests, newest first, filtered by who, company, route, outcome, time."""
    entries, total = await audit_log.find(
        user_id=user_id,
        member_id=member_id,
        service=service,
        route=route,
        outcome=outcome,
        since=since,
        until=until,
        skip=(page - 1) * page_size,
        limit=page_size,
    )
    items = [AuditRead.model_validate(e) for e in entries]
    return AuditPage.of(items, total, page, page_size)


def audit_entry(
    request: Request, response_status: int, route: Route, correlation: str
) -> dict[str, Any]:
    """The audit record of a state-changing request, once answered."""
    principal: Principal | None = getattr(request.state, "principal", None)
    params = request.scope.get("path_params", {})
    target = next((v for k, v in reversed(params.items()) if k.endswith("_id")), None)
    outcome = (
        "success" if response_status < 400 else "refused" if response_status < 500 else "error"
    )
    return {
        "at": datetime.now(UTC),
        "user_id": principal.user_id if principal else None,
        "login": principal.login if principal else None,
        "role": principal.role.value if principal else None,
        "member_id": principal.member_id if principal else None,
        "service": route.service,
        "method": route.method,
        "route": route.path,
        "path": request.url.path,
        "target_id": target,
        "status": response_status,
        "outcome": outcome,
        "correlation_id": correlation,
        "client": request.client.host if request.client else None,
    }
