"""HTTP API of the notifications service: inbox, preferences, webhooks and delivery log."""

import logging
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from cmo_shared.errors import NotFound
from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, IsoDateTime, PageNumber, PageSize, given
from fastapi import APIRouter, Query, status

from .digest import DigestJob
from .dispatcher import Dispatcher
from .domain import MANDATORY_TOPICS
from .fanout import test_delivery
from .preferences import LinkSigner, Preferences
from .repository import DeliveryRepository, InboxRepository
from .schemas import (
    DeliveryRead,
    DigestResult,
    EndpointRead,
    EndpointUpdate,
    EndpointWrite,
    InboxEntryRead,
    InboxPage,
    InboxStatus,
    InboxStatusUpdate,
    PreferencesRead,
    PreferencesWrite,
    ReplayResult,
)
from .settings import NotificationsSettings
from .webhooks import HostUnresolved, WebhookEndpoints, check_url

log = logging.getLogger(__name__)
router = APIRouter(tags=["notifications"], responses=ERROR_RESPONSES)
SETTINGS = {"digest", "digest_hour", "quiet_hours", "timezone"}


Inbox = Annotated[InboxRepository, provided(InboxRepository)]
Deliveries = Annotated[DeliveryRepository, provided(DeliveryRepository)]
Sender = Annotated[Dispatcher, provided(Dispatcher)]
Digests = Annotated[DigestJob, provided(DigestJob)]
Choices = Annotated[Preferences, provided(Preferences)]
Links = Annotated[LinkSigner, provided(LinkSigner)]
Endpoints = Annotated[WebhookEndpoints, provided(WebhookEndpoints)]
Settings = Annotated[NotificationsSettings, provided(NotificationsSettings)]


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


def _preferences_read(contact_id: str, document: dict[str, Any] | None) -> PreferencesRead:
    document = document or {}
    settings = {k: document[k] for k in SETTINGS if document.get(k) is not None}
    return PreferencesRead(
        contact_id=contact_id,
        channels=document.get("channels", {}),
        mandatory_topics=sorted(MANDATORY_TOPICS),
        **settings,
    )


@router.get("/preferences/{contact_id}", summary="A contact's channel choices")
async def get_preferences(contact_id: str, preferences: Choices) -> PreferencesRead:
    """Per topic, whether email and inbox are on; unlisted topics reach every channel."""
    return _preferences_read(contact_id, await preferences.get(contact_id))


@router.put("/preferences/{contact_id}", summary="Set a contact's channel choices")
async def set_preferences(
    contact_id: str, body: PreferencesWrite, preferences: Choices
) -> PreferencesRead:
    """Merge the given choices; switching off a mandatory topic answers 422."""
    channels = {t: c.model_dump(exclude_none=True) for t, c in body.channels.items()}
    settings = body.model_dump(include=SETTINGS, exclude_unset=True)
    document = await preferences.set(contact_id, channels, settings)
    return _preferences_read(contact_id, document)


@router.post("/digests/run", summary="Send the digests that are due")
async def run_digests(
    digests: Digests,
    at: Annotated[IsoDateTime | None, Query(description="Time to run as; now.")] = None,
) -> DigestResult:
    """Also runs on schedule: each contact's held emails, once a day at its hour."""
    sent = await digests.run(at or datetime.now(UTC))
    return DigestResult(digests=sent)


@router.post("/unsubscribe/{token}", summary="One-click unsubscribe (RFC 8058)")
async def unsubscribe(token: str, preferences: Choices, links: Links) -> PreferencesRead:
    """Switch off email for the topic the link was sent for."""
    contact_id, topic = links.read(token)
    document = await preferences.set(contact_id, {topic: {"email": False}})
    return _preferences_read(contact_id, document)


def _endpoint(document: dict[str, Any], *, with_secret: bool = False) -> EndpointRead:
    read = EndpointRead.model_validate(document)
    return read.model_copy(update={"secret": document["secret"] if with_secret else None})


async def _allowed(settings: NotificationsSettings, url: str) -> None:
    try:
        await check_url(url, settings.webhook_allowed_networks)
    except HostUnresolved:
        log.info("webhook host of %s does not resolve yet; checked again at each send", url)


@router.post("/webhooks", status_code=status.HTTP_201_CREATED, summary="Register a webhook")
async def create_endpoint(
    body: EndpointWrite, endpoints: Endpoints, settings: Settings
) -> EndpointRead:
    """Register an endpoint; its `whsec_` secret is returned this once."""
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
