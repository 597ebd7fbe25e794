"""HTTP API of the notifications service: inbox and delivery log."""

from typing import Annotated, Any

from cmo_shared.errors import NotFound
from cmo_shared.http import ERROR_RESPONSES
from fastapi import APIRouter, Query, Request

from .repository import DeliveryRepository, InboxRepository
from .schemas import DeliveryRead, InboxEntryRead, InboxPage, InboxStatus, InboxStatusUpdate

router = APIRouter(tags=["notifications"], responses=ERROR_RESPONSES)
Page = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=100)]


def _inbox(request: Request) -> InboxRepository:
    return request.app.state.inbox


def _deliveries(request: Request) -> DeliveryRepository:
    return request.app.state.deliveries


@router.get("/inbox/{contact_id}", summary="A contact's inbox")
async def list_inbox(
    contact_id: str,
    request: Request,
    status: InboxStatus | None = None,
    page: Page = 1,
    page_size: PageSize = 20,
) -> InboxPage:
    """Entries newest first, with the unread count."""
    entries, total, unread = await _inbox(request).list(
        contact_id, status=status, skip=(page - 1) * page_size, limit=page_size
    )
    return InboxPage(
        items=[InboxEntryRead.model_validate(e) for e in entries],
        total=total,
        unread=unread,
        page=page,
        page_size=page_size,
    )


@router.patch("/inbox/{contact_id}/{entry_id}", summary="Mark an inbox entry")
async def mark_inbox_entry(
    contact_id: str, entry_id: str, body: InboxStatusUpdate, request: Request
) -> InboxEntryRead:
    """Set an entry's status: read, unread or archived."""
    entry = await _inbox(request).set_status(contact_id, entry_id, body.status)
    if entry is None:
        raise NotFound(f"inbox entry {entry_id} not found", field="entry_id")
    return InboxEntryRead.model_validate(entry)


@router.get("/deliveries", summary="Delivery log")
async def list_deliveries(
    request: Request,
    event_id: str | None = None,
    recipient_id: str | None = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> list[DeliveryRead]:
    """Delivery records by event and/or recipient, newest first, with status and attempts."""
    query: dict[str, Any] = {}
    if event_id is not None:
        query["event_id"] = event_id
    if recipient_id is not None:
        query["recipient_id"] = recipient_id
    records = await _deliveries(request).find(query, skip=(page - 1) * page_size, limit=page_size)
    return [DeliveryRead.model_validate(r) for r in records]
