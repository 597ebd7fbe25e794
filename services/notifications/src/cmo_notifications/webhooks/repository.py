"""Outgoing webhooks: endpoints, their secrets, address checks and signed sending.

Messages follow the Standard Webhooks specification (signed with the `standardwebhooks`
library): `webhook-id` is the delivery id, stable across retries; `webhook-timestamp` is the
attempt's time; `webhook-signature` carries one `v1` signature per valid secret, so a receiver
keeps verifying while a rotated secret overlaps with the new one.
"""

import asyncio
import base64
import ipaddress
import json
import secrets
import socket
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

import httpx
from cmo_contracts import REGISTRY, deliverable
from cmo_shared.errors import Invalid, NotFound
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from standardwebhooks.webhooks import Webhook

from ..deliveries.channel_errors import EndpointGone, PermanentDeliveryError, TemporaryDeliveryError
from ..deliveries.domain import retry_class

ENDPOINTS = "webhook_endpoints"
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata"})


class UrlNotAllowed(Invalid):
    """The webhook URL is not public."""

    code = "webhook_url_not_allowed"


class EventTypeNotAllowed(Invalid):
    """A webhook filter names an event type that does not exist or is not for this owner."""

    code = "event_type_not_allowed"


def check_filter(owner_kind: str, event_types: list[str]) -> None:
    """Refuse a filter naming a type its owner cannot receive (unknown, internal, staff's)."""
    allowed = {t.name for t in deliverable(owner_kind)}
    for index, name in enumerate(event_types):
        if name not in allowed:
            known = "is not an event type" if name not in REGISTRY else "is not deliverable"
            raise EventTypeNotAllowed(
                f"{name} {known} to a {owner_kind}'s webhook; see GET /webhooks/event-types",
                field=f"event_types.{index}",
            )


class HostUnresolved(Exception):
    """The URL's host does not resolve (now): nothing can be said about where it points."""


def new_secret() -> str:
    """A fresh signing secret in the `whsec_` form."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


async def check_url(url: str, allowed_networks: list[str]) -> None:
    """Refuse URLs that resolve to private, loopback, link-local or metadata addresses.

    A host that does not resolve raises `HostUnresolved`: registering such an endpoint is
    allowed (DNS may follow), and every send checks again before connecting.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UrlNotAllowed("the URL must be http(s) with a host", field="url")
    if parts.hostname.lower() in METADATA_HOSTS:
        raise UrlNotAllowed("metadata endpoints are not allowed", field="url")
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, parts.port or 443, type=socket.SOCK_STREAM
        )
    except OSError as exc:
        raise HostUnresolved(f"cannot resolve {parts.hostname}") from exc
    allowed = [ipaddress.ip_network(n) for n in allowed_networks]
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if any(address in network for network in allowed):
            continue
        if not address.is_global or address.is_multicast:
            raise UrlNotAllowed(
                f"{parts.hostname} resolves to a non-public address ({address})", field="url"
            )


def signature_headers(
    signing_secrets: list[str], message_id: str, body: str, now: datetime
) -> dict[str, str]:
    """The Standard Webhooks headers for one attempt."""
    signatures = " ".join(Webhook(s).sign(message_id, now, body) for s in signing_secrets)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
    }


def retry_after_s(response: httpx.Response, now: datetime) -> float | None:
    """Seconds the receiver asked us to wait (`Retry-After` as seconds or a date)."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
    except (TypeError, ValueError):
        return None


def webhook_body(event_type: str, occurred_at: datetime, data: dict[str, Any]) -> str:
    """A Standard Webhooks payload: type, timestamp and data."""
    return json.dumps(
        {"type": event_type, "timestamp": occurred_at.isoformat(), "data": data},
        default=str,
        ensure_ascii=False,
    )


class WebhookEndpoints:
    """Registered endpoints, per member company or integration, with secrets and health."""

    def __init__(self, collection: AsyncCollection, *, overlap_s: float) -> None:
        self._collection = collection
        self._overlap = timedelta(seconds=overlap_s)

    async def ensure_indexes(self) -> None:
        """Endpoints are listed by owner."""
        await self._collection.create_index([("owner_kind", ASCENDING), ("owner_id", ASCENDING)])

    async def create(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Register an endpoint with a fresh secret."""
        document = {
            "_id": str(uuid4()),
            **fields,
            "secret": new_secret(),
            "previous_secrets": [],
            "enabled": True,
            "disabled_reason": None,
            "failing_since": None,
            "created_at": datetime.now(UTC),
        }
        await self._collection.insert_one(document)
        return document

    async def get(self, endpoint_id: str) -> dict[str, Any]:
        """One endpoint, or `NotFound`."""
        document = await self._collection.find_one({"_id": endpoint_id})
        if document is None:
            raise NotFound(f"webhook endpoint {endpoint_id} not found", field="endpoint_id")
        return document

    async def find(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Endpoints matching a query, oldest first."""
        return await self._collection.find(query).sort("created_at", ASCENDING).to_list(None)

    async def update(self, endpoint_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Change an endpoint's URL, filter or state."""
        await self.get(endpoint_id)
        await self._collection.update_one({"_id": endpoint_id}, {"$set": changes})
        return await self.get(endpoint_id)

    async def delete(self, endpoint_id: str) -> None:
        """Remove an endpoint."""
        await self.get(endpoint_id)
        await self._collection.delete_one({"_id": endpoint_id})

    async def rotate(self, endpoint_id: str) -> dict[str, Any]:
        """A new secret; the old one keeps signing too until the overlap ends."""
        endpoint = await self.get(endpoint_id)
        now = datetime.now(UTC)
        kept = [p for p in endpoint["previous_secrets"] if p["until"] > now]
        kept.append({"secret": endpoint["secret"], "until": now + self._overlap})
        return await self.update(endpoint_id, {"secret": new_secret(), "previous_secrets": kept})

    async def subscribed(self, event_type: str) -> list[dict[str, Any]]:
        """Enabled endpoints whose filter takes this event type (an empty filter takes all)."""
        endpoints = await self.find({"enabled": True})
        return [e for e in endpoints if not e["event_types"] or event_type in e["event_types"]]

    @staticmethod
    def signing_secrets(endpoint: dict[str, Any], now: datetime) -> list[str]:
        """The current secret and rotated-out ones still within their overlap."""
        return [endpoint["secret"]] + [
            p["secret"] for p in endpoint["previous_secrets"] if p["until"] > now
        ]

    async def succeeded(self, endpoint_id: str) -> None:
        """A delivery got through: the endpoint is healthy again."""
        await self._collection.update_one({"_id": endpoint_id}, {"$set": {"failing_since": None}})

    async def failed(self, endpoint: dict[str, Any], now: datetime) -> datetime:
        """Record a failure; return since when the endpoint has been failing."""
        if endpoint["failing_since"] is not None:
            return endpoint["failing_since"]
        await self._collection.update_one(
            {"_id": endpoint["_id"]}, {"$set": {"failing_since": now}}
        )
        return now

    async def disable(self, endpoint_id: str, reason: str) -> None:
        """Stop sending to an endpoint."""
        await self._collection.update_one(
            {"_id": endpoint_id}, {"$set": {"enabled": False, "disabled_reason": reason}}
        )


async def post(
    client: httpx.AsyncClient, delivery: dict[str, Any], signing_secrets: list[str]
) -> None:
    """Send one webhook attempt; raise by how the endpoint answered."""
    now = datetime.now(UTC)
    headers = signature_headers(signing_secrets, delivery["_id"], delivery["body"], now)
    try:
        response = await client.post(delivery["url"], content=delivery["body"], headers=headers)
    except httpx.HTTPError as exc:
        raise TemporaryDeliveryError(repr(exc)) from exc
    outcome = retry_class(response.status_code)
    if outcome == "ok":
        return
    message = f"HTTP {response.status_code}"
    if outcome == "gone":
        raise EndpointGone(message)
    if outcome == "permanent":
        raise PermanentDeliveryError(message)
    raise TemporaryDeliveryError(message, retry_after_s(response, now))
