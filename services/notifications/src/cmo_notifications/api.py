"""HTTP API of the notifications service: inbox, preferences, webhooks and delivery log."""

import logging
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from cmo_shared.errors import NotFound
from cmo_shared.http import ERROR_RESPONSES, IsoDateTime, PageNumber, PageSize, given
from fastapi import APIRouter, Query, Request, status

from .domain import MANDATORY_TOPICS
from .fanout import test_delivery
from .preferences import Preferences
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
from .webhooks import HostUnresolved, WebhookEndpoints, check_url

log = logging.getLogger(__name__)
router = APIRouter(tags=["notifications"], responses=ERROR_RESPONSES)
SETTINGS = {"digest", "digest_hour", "quiet_hours", "timezone"}


def _inbox(request: Request) -> InboxRepository:
    return request.app.state.inbox


def _deliveries(request: Request) -> DeliveryRepository:
    return request.app.state.deliveries


@router.get("/inbox/{contact_id}", summary="A contact's inbox")
async def list_inbox(
    contact_id: str,
    request: Request,
    status: InboxStatus | None = None,
    page: PageNumber = 1,
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
    page: PageNumber = 1,
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


@router.post("/deliveries/replay", summary="Replay dead deliveries")
async def replay_deliveries(
    request: Request,
    event_id: str | None = None,
    delivery_id: str | None = None,
    recipient_id: str | None = None,
) -> ReplayResult:
    """Queue dead deliveries again (all, or those of an event, delivery or recipient)."""
    query = given(event_id=event_id, _id=delivery_id, recipient_id=recipient_id)
    replayed = await request.app.state.dispatcher.replay(query)
    return ReplayResult(replayed=replayed)


def _preferences(request: Request) -> Preferences:
    return request.app.state.preferences


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
async def get_preferences(contact_id: str, request: Request) -> PreferencesRead:
    """Per topic, whether email and inbox are on; unlisted topics reach every channel."""
    return _preferences_read(contact_id, await _preferences(request).get(contact_id))


@router.put("/preferences/{contact_id}", summary="Set a contact's channel choices")
async def set_preferences(
    contact_id: str, body: PreferencesWrite, request: Request
) -> PreferencesRead:
    """Merge the given choices; switching off a mandatory topic answers 422."""
    channels = {t: c.model_dump(exclude_none=True) for t, c in body.channels.items()}
    settings = body.model_dump(include=SETTINGS, exclude_unset=True)
    document = await _preferences(request).set(contact_id, channels, settings)
    return _preferences_read(contact_id, document)


@router.post("/digests/run", summary="Send the digests that are due")
async def run_digests(
    request: Request,
    at: Annotated[IsoDateTime | None, Query(description="Time to run as; now.")] = None,
) -> DigestResult:
    """Also runs on schedule: each contact's held emails, once a day at its hour."""
    sent = await request.app.state.digests.run(at or datetime.now(UTC))
    return DigestResult(digests=sent)


@router.post("/unsubscribe/{token}", summary="One-click unsubscribe (RFC 8058)")
async def unsubscribe(token: str, request: Request) -> PreferencesRead:
    """Switch off email for the topic the link was sent for."""
    contact_id, topic = request.app.state.links.read(token)
    document = await _preferences(request).set(contact_id, {topic: {"email": False}})
    return _preferences_read(contact_id, document)


def _endpoints(request: Request) -> WebhookEndpoints:
    return request.app.state.endpoints


def _endpoint(document: dict[str, Any], *, with_secret: bool = False) -> EndpointRead:
    read = EndpointRead.model_validate(document)
    return read.model_copy(update={"secret": document["secret"] if with_secret else None})


async def _allowed(request: Request, url: str) -> None:
    try:
        await check_url(url, request.app.state.settings.webhook_allowed_networks)
    except HostUnresolved:
        log.info("webhook host of %s does not resolve yet; checked again at each send", url)


@router.post("/webhooks", status_code=status.HTTP_201_CREATED, summary="Register a webhook")
async def create_endpoint(body: EndpointWrite, request: Request) -> EndpointRead:
    """Register an endpoint; its `whsec_` secret is returned this once."""
    await _allowed(request, str(body.url))
    document = await _endpoints(request).create(body.model_dump(mode="json"))
    return _endpoint(document, with_secret=True)


@router.get("/webhooks", summary="List webhook endpoints")
async def list_endpoints(
    request: Request,
    owner_kind: Literal["member", "integration"] | None = None,
    owner_id: str | None = None,
) -> list[EndpointRead]:
    """Endpoints, oldest first, by owner."""
    query = given(owner_kind=owner_kind, owner_id=owner_id)
    return [_endpoint(d) for d in await _endpoints(request).find(query)]


@router.get("/webhooks/{endpoint_id}", summary="Get a webhook endpoint")
async def get_endpoint(endpoint_id: str, request: Request) -> EndpointRead:
    """One endpoint and its health."""
    return _endpoint(await _endpoints(request).get(endpoint_id))


@router.patch("/webhooks/{endpoint_id}", summary="Change a webhook endpoint")
async def update_endpoint(endpoint_id: str, body: EndpointUpdate, request: Request) -> EndpointRead:
    """Change URL or event filter, or enable or disable it."""
    changes = body.model_dump(mode="json", exclude_none=True)
    if "url" in changes:
        await _allowed(request, changes["url"])
    if changes.get("enabled"):
        changes.update(disabled_reason=None, failing_since=None)
    elif changes.get("enabled") is False:
        changes["disabled_reason"] = "disabled by its owner"
    return _endpoint(await _endpoints(request).update(endpoint_id, changes))


@router.delete(
    "/webhooks/{endpoint_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a webhook endpoint",
)
async def delete_endpoint(endpoint_id: str, request: Request) -> None:
    """Remove the endpoint; its pending deliveries die."""
    await _endpoints(request).delete(endpoint_id)


@router.post("/webhooks/{endpoint_id}/rotate-secret", summary="Rotate a webhook's secret")
async def rotate_secret(endpoint_id: str, request: Request) -> EndpointRead:
    """Issue a new secret; the old one also signs for `CMO_WEBHOOK_SECRET_OVERLAP_S`."""
    return _endpoint(await _endpoints(request).rotate(endpoint_id), with_secret=True)


@router.post(
    "/webhooks/{endpoint_id}/test",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a test event",
)
async def send_test_event(endpoint_id: str, request: Request) -> DeliveryRead:
    """Queue a signed `webhook.test` message to the endpoint; follow it in the delivery log."""
    endpoint = await _endpoints(request).get(endpoint_id)
    record = test_delivery(endpoint, datetime.now(UTC))
    request.app.state.dispatcher.submit(await _deliveries(request).add_new([record]))
    return DeliveryRead.model_validate(record)
