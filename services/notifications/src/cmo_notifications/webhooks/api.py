"""HTTP API of webhook endpoints: registration, rotation, tests."""

import logging
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from cmo_contracts import deliverable
from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, given
from fastapi import APIRouter, status

from ..deliveries.repository import DeliveryRepository
from ..deliveries.schemas import DeliveryRead
from ..deliveries.service import Dispatcher
from ..fanout.service import test_delivery
from ..settings import NotificationsSettings
from .repository import HostUnresolved, WebhookEndpoints, check_filter, check_url
from .schemas import EndpointRead, EndpointUpdate, EndpointWrite, EventTypeRead

log = logging.getLogger(__name__)
router = APIRouter(tags=["notifications"], responses=ERROR_RESPONSES)
Deliveries = Annotated[DeliveryRepository, provided(DeliveryRepository)]
Sender = Annotated[Dispatcher, provided(Dispatcher)]
Endpoints = Annotated[WebhookEndpoints, provided(WebhookEndpoints)]
Settings = Annotated[NotificationsSettings, provided(NotificationsSettings)]


def _endpoint(document: dict[str, Any], *, with_secret: bool = False) -> EndpointRead:
    read = EndpointRead.model_validate(document)
    return read.model_copy(update={"secret": document["secret"] if with_secret else None})


async def _allowed(settings: NotificationsSettings, url: str) -> None:
    try:
        await check_url(url, settings.webhook_allowed_networks)
    except HostUnresolved:
        log.info("webhook host of %s does not resolve yet; checked again at each send", url)


@router.get("/webhooks/event-types", summary="Event types a webhook can subscribe to")
async def event_types(
    owner_kind: Literal["member", "integration"] = "integration",
) -> list[EventTypeRead]:
    """Every event type an owner of this kind may receive, with its payload schema."""
    return [
        EventTypeRead(
            type=t.name,
            description=t.description,
            topic=t.topic,
            visibility=t.visibility.value,  # type: ignore[arg-type]
            member_fields=list(t.members),
            schema_version=t.version,
            payload_schema=t.payload.model_json_schema(),
        )
        for t in deliverable(owner_kind)
    ]


@router.post("/webhooks", status_code=status.HTTP_201_CREATED, summary="Register a webhook")
async def create_endpoint(
    body: EndpointWrite, endpoints: Endpoints, settings: Settings
) -> EndpointRead:
    """Register an endpoint; its `whsec_` secret is returned this once."""
    check_filter(body.owner_kind, body.event_types)
    await _allowed(settings, str(body.url))
    document = await endpoints.create(body.model_dump(mode="json"))
    return _endpoint(document, with_secret=True)


@router.get("/webhooks", summary="List webhook endpoints")
async def list_endpoints(
    endpoints: Endpoints,
    owner_kind: Literal["member", "integration"] | None = None,
    owner_id: str | None = None,
) -> list[EndpointRead]:
    """Endpoints, oldest first, by owner."""
    query = given(owner_kind=owner_kind, owner_id=owner_id)
    return [_endpoint(d) for d in await endpoints.find(query)]


@router.get("/webhooks/{endpoint_id}", summary="Get a webhook endpoint")
async def get_endpoint(endpoint_id: str, endpoints: Endpoints) -> EndpointRead:
    """One endpoint and its health."""
    return _endpoint(await endpoints.get(endpoint_id))


@router.patch("/webhooks/{endpoint_id}", summary="Change a webhook endpoint")
async def update_endpoint(
    endpoint_id: str, body: EndpointUpdate, endpoints: Endpoints, settings: Settings
) -> EndpointRead:
    """Change URL or event filter, or enable or disable it."""
    changes = body.model_dump(mode="json", exclude_none=True)
    if "event_types" in changes:
        check_filter((await endpoints.get(endpoint_id))["owner_kind"], changes["event_types"])
    if "url" in changes:
        await _allowed(settings, changes["url"])
    if changes.get("enabled"):
        changes.update(disabled_reason=None, failing_since=None)
    elif changes.get("enabled") is False:
        changes["disabled_reason"] = "disabled by its owner"
    return _endpoint(await endpoints.update(endpoint_id, changes))


@router.delete(
    "/webhooks/{endpoint_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a webhook endpoint",
)
async def delete_endpoint(endpoint_id: str, endpoints: Endpoints) -> None:
    """Remove the endpoint; its pending deliveries die."""
    await endpoints.delete(endpoint_id)


@router.post("/webhooks/{endpoint_id}/rotate-secret", summary="Rotate a webhook's secret")
async def rotate_secret(endpoint_id: str, endpoints: Endpoints) -> EndpointRead:
    """Issue a new secret; the old one also signs for `CMO_WEBHOOK_SECRET_OVERLAP_S`."""
    return _endpoint(await endpoints.rotate(endpoint_id), with_secret=True)


@router.post(
    "/webhooks/{endpoint_id}/test",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a test event",
)
async def send_test_event(
    endpoint_id: str, deliveries: Deliveries, dispatcher: Sender, endpoints: Endpoints
) -> DeliveryRead:
    """Queue a signed `webhook.test` message to the endpoint; follow it in the delivery log."""
    endpoint = await endpoints.get(endpoint_id)
    record = test_delivery(endpoint, datetime.now(UTC))
    dispatcher.submit(await deliveries.add_new([record]))
    return DeliveryRead.model_validate(record)
