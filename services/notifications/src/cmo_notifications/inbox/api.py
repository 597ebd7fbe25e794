"""HTTP API of the in-app inbox."""

import logging
from typing import Annotated

from cmo_shared.errors import NotFound
from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from fastapi import APIRouter

from .repository import InboxRepository
from .schemas import InboxEntryRead, InboxPage, InboxStatus, InboxStatusUpdate

log = logging.getLogger(__name__)
router = APIRouter(tags=["notifications"], responses=ERROR_RESPONSES)
Inbox = Annotated[InboxRepository, provided(InboxRepository)]


@router.get("/inbox/{contact_id}", summary="A contact's inbox")
async def list_inbox(
    contact_id: str,
    inbox: Inbox,
    status: InboxStatus | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> InboxPage:
    """Entries newest first, with the unread count."""
    entries, total, unread = await inbox.list(
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
    contact_id: str, entry_id: str, body: InboxStatusUpdate, inbox: Inbox
) -> InboxEntryRead:
    """Set an entry's status: read, unread or archived."""
    entry = await inbox.set_status(contact_id, entry_id, body.status)
    if entry is None:
        raise NotFound(f"inbox entry {entry_id} not found", field="entry_id")
    return InboxEntryRead.model_validate(entry)
