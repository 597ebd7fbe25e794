"""HTTP API of the delivery log and its replay."""

import logging
from typing import Annotated, Any

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize, given
from fastapi import APIRouter

from .repository import DeliveryRepository
from .schemas import DeliveryRead, ReplayResult
from .service import Dispatcher

log = logging.getLogger(__name__)
router = APIRouter(tags=["notifications"], responses=ERROR_RESPONSES)
Deliveries = Annotated[DeliveryRepository, provided(DeliveryRepository)]
Sender = Annotated[Dispatcher, provided(Dispatcher)]


@router.get("/deliveries", summary="Delivery log")
async def list_deliveries(
    deliveries: Deliveries,
    event_id: str | None = None,
    recipient_id: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> list[DeliveryRead]:
    """Delivery records by event and/or recipient, newest first, with status and attempts."""
    query: dict[str, Any] = {}
    if event_id is not None:
        query["event_id"] = event_id
    if recipient_id is not None:
        query["recipient_id"] = recipient_id
    records = await deliveries.find(query, skip=(page - 1) * page_size, limit=page_size)
    return [DeliveryRead.model_validate(r) for r in records]


@router.post("/deliveries/replay", summary="Replay dead deliveries")
async def replay_deliveries(
    dispatcher: Sender,
    event_id: str | None = None,
    delivery_id: str | None = None,
    recipient_id: str | None = None,
) -> ReplayResult:
    """Queue dead deliveries again (all, or those of an event, delivery or recipient)."""
    query = given(event_id=event_id, _id=delivery_id, recipient_id=recipient_id)
    replayed = await dispatcher.replay(query)
    return ReplayResult(replayed=replayed)
