"""Sends due email and webhook deliveries with bounded concurrency per channel.

Failures are retried on a schedule (honouring `Retry-After`) until the delivery is dead;
permanent refusals stop at once.
"""

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from cmo_shared.errors import NotFound
from cmo_shared.events import derived_event_id, new_event
from cmo_shared.events.notifications import NotificationDelivered, NotificationFailed

from . import mail, webhooks
from .channel_errors import EndpointGone, PermanentDeliveryError
from .domain import DeliveryStatus, next_attempt_at
from .fanout import owner_notice
from .outcomes import OutcomeBatcher
from .repository import DeliveryRepository
from .settings import NotificationsSettings
from .templates import render
from .webhooks import UrlNotAllowed, WebhookEndpoints, check_url

log = logging.getLogger(__name__)
PRODUCER = "notifications"
CHANNELS = ("email", "webhook")


@dataclass
class Dispatcher:
    """Claims due email deliveries and sends them, recording each attempt."""

    deliveries: DeliveryRepository
    endpoints: WebhookEndpoints
    settings: NotificationsSettings
    outcomes: OutcomeBatcher
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _http: httpx.AsyncClient | None = None
    _claimed: set[str] = field(default_factory=set)
    _finished: dict[str, float] = field(default_factory=dict)
    _slots: dict[str, asyncio.Semaphore] = field(init=False)

    def __post_init__(self) -> None:
        self._slots = {
            "email": asyncio.Semaphore(self.settings.dispatch_concurrency),
            "webhook": asyncio.Semaphore(self.settings.webhook_concurrency),
        }

    def wake(self) -> None:
        """Look for due deliveries now."""
        self._wake.set()

    async def run(self) -> None:
        """Claim due deliveries per channel in batches and send them, bounded per channel.

        One dispatcher per deployment, its claims kept in memory: FerretDB 1.24 makes neither
        conditional updates atomic nor updates cheap (each touched document costs a scan), so
        claims in the database would neither exclude a second dispatcher nor scale. A process
        that dies mid-send leaves its deliveries due, and they are sent again (at least once).
        A channel's next batch is claimed when half its previous one is done, so a slow channel
        (a dead webhook endpoint) never holds up another.
        """
        sending: dict[str, set[asyncio.Task[None]]] = {c: set() for c in CHANNELS}
        writer = asyncio.create_task(self.outcomes.run(), name="outcome-writer")
        batch = self.settings.claim_batch
        try:
            while True:
                claimed = 0
                for channel, tasks in sending.items():
                    room = batch - len(tasks)
                    if room < batch // 2:
                        continue
                    for delivery in await self._claim(channel, room):
                        task = asyncio.create_task(self._attempt(delivery))
                        tasks.add(task)
                        self._claimed.add(delivery["_id"])
                        task.add_done_callback(self._done(tasks, delivery["_id"], batch // 2))
                        claimed += 1
                if claimed:
                    continue
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._wake.wait(), self.settings.dispatch_poll_interval_s
                    )
        finally:
            writer.cancel()
            if self._http is not None:
                await self._http.aclose()

    def _done(self, tasks: set[asyncio.Task[None]], delivery_id: str, half: int) -> Any:
        """A done-callback that forgets the task and wakes the claimer at half a batch."""

        def forget(task: asyncio.Task[None]) -> None:
            tasks.discard(task)
            self._claimed.discard(delivery_id)
            if not task.cancelled() and task.exception() is None:
                self._finished[delivery_id] = time.monotonic()
            if len(tasks) == half:
                self._wake.set()

        return forget

    async def _finish(
        self,
        delivery: dict[str, Any],
        status: DeliveryStatus,
        attempts: int,
        *,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        event = None
        if status is not DeliveryStatus.RETRYING:
            outcome = self._outcome(delivery, attempts)
            payload = (
                NotificationDelivered(**outcome)
                if status is DeliveryStatus.SENT
                else NotificationFailed(**outcome, error=error or "")
            )
            event = new_event(
                payload,
                producer=PRODUCER,
                subject_id=delivery["_id"],
                correlation_id=delivery["correlation_id"],
                event_id=derived_event_id(payload.event_type_name, delivery["_id"], str(attempts)),
            )
        if retry_at is not None and retry_at.microsecond:
            # Whole seconds, so that retries failing alike are written by one update_many.
            retry_at = retry_at.replace(microsecond=0) + timedelta(seconds=1)
        changes = {
            "status": status.value,
            "attempts": attempts,
            "last_error": error,
            "next_attempt_at": retry_at,
        }
        await self.outcomes.record(delivery["_id"], changes, event)

    async def _claim(self, channel: str, limit: int) -> list[dict[str, Any]]:
        started = time.monotonic()
        try:
            due = await self.deliveries.due(
                channel, datetime.now(UTC), limit=limit + len(self._claimed) + len(self._finished)
            )
        except Exception:
            log.warning("cannot read due deliveries; database unavailable?", exc_info=True)
            return []
        # A delivery finished while the query ran may still read as due: skip it. Outcomes
        # recorded before the query started are in what it read, so they are forgotten.
        skip = self._claimed | {i for i, at in self._finished.items() if at >= started}
        self._finished = {i: at for i, at in self._finished.items() if at >= started}
        return [d for d in due if d["_id"] not in skip][:limit]

    async def _attempt(self, delivery: dict[str, Any]) -> None:
        attempts = delivery["attempts"] + 1
        webhook = delivery["channel"] == "webhook"
        try:
            async with self._slots[delivery["channel"]]:
                await (self._post(delivery) if webhook else self._mail(delivery))
        except EndpointGone as exc:
            await self.endpoints.disable(delivery["recipient_id"], "the endpoint answered 410 Gone")
            await self._give_up(delivery, attempts, str(exc))
        except PermanentDeliveryError as exc:
            await self._give_up(delivery, attempts, str(exc))
        except Exception as exc:
            if webhook:
                await self._endpoint_failing(delivery["recipient_id"])
            retry_at = next_attempt_at(
                self.settings.retry_schedule_s,
                attempts,
                datetime.now(UTC),
                getattr(exc, "retry_after_s", None),
            )
            if retry_at is None:
                await self._give_up(delivery, attempts, repr(exc))
            else:
                log.info("delivery failed; retrying at %s", retry_at, exc_info=True)
                await self._finish(
                    delivery, DeliveryStatus.RETRYING, attempts, error=repr(exc), retry_at=retry_at
                )
        else:
            if webhook:
                await self.endpoints.succeeded(delivery["recipient_id"])
            await self._finish(delivery, DeliveryStatus.SENT, attempts)

    async def _mail(self, delivery: dict[str, Any]) -> None:
        await mail.send(
            mail.build_message(delivery, sender=self.settings.mail_from),
            host=self.settings.smtp_host,
            port=self.settings.smtp_port,
            timeout_s=self.settings.smtp_timeout_s,
        )

    async def _post(self, delivery: dict[str, Any]) -> None:
        try:
            endpoint = await self.endpoints.get(delivery["recipient_id"])
        except NotFound as exc:
            raise PermanentDeliveryError("the endpoint was deleted") from exc
        if not endpoint["enabled"]:
            raise PermanentDeliveryError(f"the endpoint is disabled: {endpoint['disabled_reason']}")
        try:  # checked again at send time: DNS may have changed since registration
            await check_url(delivery["url"], self.settings.webhook_allowed_networks)
        except UrlNotAllowed as exc:
            raise PermanentDeliveryError(exc.message) from exc
        secrets = self.endpoints.signing_secrets(endpoint, datetime.now(UTC))
        await webhooks.post(self._client(), delivery, secrets)

    async def _endpoint_failing(self, endpoint_id: str) -> None:
        """Disable an endpoint that has been failing too long, and tell its owner."""
        try:
            endpoint = await self.endpoints.get(endpoint_id)
        except NotFound:
            return
        now = datetime.now(UTC)
        since = await self.endpoints.failed(endpoint, now)
        if (now - since).total_seconds() < self.settings.webhook_disable_after_s:
            return
        await self.endpoints.disable(endpoint_id, f"failing since {since.isoformat()}")
        log.warning("webhook endpoint %s disabled: failing since %s", endpoint_id, since)
        message = render(
            "webhook_disabled",
            endpoint.get("owner_language", "en"),
            {"url": endpoint["url"], "since": since.isoformat(timespec="minutes")},
        )
        await self.deliveries.add_new([owner_notice(endpoint, since, message, now)])

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(
                timeout=self.settings.webhook_timeout_s,
                limits=httpx.Limits(max_connections=self.settings.webhook_concurrency),
                follow_redirects=False,
            )
        return self._http

    async def _give_up(self, delivery: dict[str, Any], attempts: int, error: str) -> None:
        log.error("delivery dead after %d attempts: %s", attempts, error)
        await self._finish(delivery, DeliveryStatus.DEAD, attempts, error=error)

    @staticmethod
    def _outcome(delivery: dict[str, Any], attempts: int) -> dict[str, Any]:
        return {
            "delivery_id": delivery["_id"],
            "source_event_id": delivery["event_id"],
            "source_event_type": delivery["event_type"],
            "recipient_id": delivery["recipient_id"],
            "channel": delivery["channel"],
            "attempts": attempts,
        }
