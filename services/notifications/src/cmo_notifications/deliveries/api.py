"""HTTP API of the delivery log and its replay."""

import logging
from typing import Annotated, Any, Literal

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize, given
from fastapi import APIRouter

from .domain import DeliveryStatus
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
    status: DeliveryStatus | None = None,
    channel: Literal["email", "webhook"] | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> list[DeliveryRead]:
    """Delivery records by event, recipient, status and/or channel, newest first."""
    query: dict[str, Any] = given(event_id=event_id, recipient_id=recipient_id, channel=channel)
    records = await deliveries.find(
        query, skip=(page - 1) * page_size, limit=page_size, status=status
    )
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
