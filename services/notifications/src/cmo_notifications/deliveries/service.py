"""Sends email and webhook deliveries with bounded concurrency per channel.

Deliveries are handed over in memory as they are recorded (and read back at start-up), wait
in a schedule until due, and are sent by a fixed set of workers per channel: each email
worker keeps its SMTP connection open across messages. Failures are retried on a schedule
(honouring `Retry-After`) until the delivery is dead; permanent refusals stop at once.
"""

import asyncio
import contextlib
import heapq
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx
from cmo_contracts import derived_event_id
from cmo_contracts.notifications import NotificationDelivered, NotificationFailed
from cmo_shared.errors import NotFound

from ..fanout.service import owner_notice
from ..settings import NotificationsSettings
from ..templates import render
from ..webhooks.repository import UrlNotAllowed, WebhookEndpoints, check_url
from ..webhooks.repository import post as post_webhook
from . import mail
from .channel_errors import EndpointGone, PermanentDeliveryError
from .domain import DeliveryStatus, next_attempt_at
from .outcomes import OutcomeBatcher
from .repository import DeliveryRepository, log_entry

log = logging.getLogger(__name__)
CHANNELS = ("email", "webhook")
SMTP_IDLE_S = 30.0


@dataclass
class Dispatcher:
    """Schedules deliveries and sends them when due, recording each attempt's outcome.

    One dispatcher per deployment, its schedule kept in memory: FerretDB 1.24 makes neither
    conditional updates atomic nor updates cheap, so claims in the database would neither
    exclude a second dispatcher nor scale. A process that dies mid-send leaves its
    deliveries unfinished in the log, and they are sent again when it starts (at least once).
    """

    deliveries: DeliveryRepository
    endpoints: WebhookEndpoints
    settings: NotificationsSettings
    outcomes: OutcomeBatcher
    _schedule: list[tuple[datetime, int, dict[str, Any]]] = field(default_factory=list)
    _order: itertools.count = field(default_factory=itertools.count)
    _active: set[str] = field(default_factory=set)
    _queues: dict[str, asyncio.Queue[dict[str, Any]]] = field(init=False)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _http: httpx.AsyncClient | None = None
    _envelope_sender: str = field(init=False)

    def __post_init__(self) -> None:
        self._queues = {c: asyncio.Queue() for c in CHANNELS}
        self._envelope_sender = mail.envelope_sender(self.settings.mail_from)

    def submit(self, deliveries: list[dict[str, Any]]) -> None:
        """Schedule new or replayed email and webhook deliveries (others are ignored)."""
        for delivery in deliveries:
            due = delivery.get("next_attempt_at")
            waiting = delivery["status"] in (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
            if not waiting or due is None or delivery["_id"] in self._active:
                continue
            self._active.add(delivery["_id"])
            heapq.heappush(self._schedule, (due, next(self._order), delivery))
        self._changed.set()

    async def replay(self, query: dict[str, Any]) -> int:
        """Queue the dead deliveries matching a query again, with a fresh retry schedule."""
        dead = await self.deliveries.in_state(DeliveryStatus.DEAD, query, with_content=True)
        now = datetime.now(UTC)
        state = {"status": DeliveryStatus.PENDING.value, "attempts": 0, "next_attempt_at": now}
        await self.deliveries.log([log_entry(d, {**state, "last_error": None}) for d in dead])
        self.submit([{**d, **state} for d in dead])
        return len(dead)

    async def finish(self) -> None:
        """Send what is due and write the outcomes, before the process stops.

        The schedule is in memory: a replica that stops leaves to no other process what it
        recorded (another finds the records and sends nothing twice), until one restarts.
        Deliveries held for later (a retry, quiet hours, a digest) stay for that restart.
        """
        # Polled: deliveries leave the schedule, the queues and the workers in many places.
        while self._due_or_sending() or self.outcomes.pending:  # noqa: ASYNC110
            await asyncio.sleep(0.05)

    def _due_or_sending(self) -> bool:
        now = datetime.now(UTC)
        later = {d["_id"] for due, _, d in self._schedule if due > now}
        return bool(self._active - later)

    async def run(self) -> None:
        """Read back unfinished deliveries, then send each when due, forever."""
        writer = asyncio.create_task(self.outcomes.run(), name="outcome-writer")
        workers = [
            asyncio.create_task(self._email_worker(), name=f"email-{i}")
            for i in range(self.settings.dispatch_concurrency)
        ] + [
            asyncio.create_task(self._webhook_worker(), name=f"webhook-{i}")
            for i in range(self.settings.webhook_concurrency)
        ]
        try:
            await self._recover()
            await self._release_due()
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            writer.cancel()
            await asyncio.gather(writer, return_exceptions=True)
            if self._http is not None:
                await self._http.aclose()

    async def _recover(self) -> None:
        while True:
            try:
                self.submit(await self.deliveries.unfinished())
                return
            except Exception:
                log.warning(
                    "cannot read unfinished deliveries; database unavailable?", exc_info=True
                )
                await asyncio.sleep(self.settings.dispatch_poll_interval_s)

    async def _release_due(self) -> None:
        """Move deliveries whose time has come from the schedule to their channel's queue."""
        while True:
            self._changed.clear()
            now = datetime.now(UTC)
            while self._schedule and self._schedule[0][0] <= now:
                _, _, delivery = heapq.heappop(self._schedule)
                self._queues[delivery["channel"]].put_nowait(delivery)
            wait = self.settings.dispatch_poll_interval_s
            if self._schedule:
                wait = min(wait, max((self._schedule[0][0] - now).total_seconds(), 0.0))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), wait)

    async def _email_worker(self) -> None:
        session = mail.SmtpSession(
            self.settings.smtp_host, self.settings.smtp_port, self.settings.smtp_timeout_s
        )
        queue = self._queues["email"]
        try:
            while True:
                try:
                    delivery = await asyncio.wait_for(queue.get(), SMTP_IDLE_S)
                except TimeoutError:
                    await session.close()
                    continue
                await self._attempt(delivery, partial(self._mail, session))
        finally:
            with contextlib.suppress(Exception):
                await session.close()

    async def _webhook_worker(self) -> None:
        queue = self._queues["webhook"]
        while True:
            delivery = await queue.get()
            await self._attempt(delivery, self._post)

    async def _attempt(
        self, delivery: dict[str, Any], send: Callable[[dict[str, Any]], Awaitable[None]]
    ) -> None:
        """Send once and record the outcome; an unforeseen error puts the delivery back."""
        try:
            await self._send_once(delivery, send)
        except Exception:
            log.exception("delivery %s could not be attempted; trying later", delivery["_id"])
            self._active.discard(delivery["_id"])
            later = datetime.now(UTC) + timedelta(seconds=self.settings.dispatch_poll_interval_s)
            self.submit([{**delivery, "next_attempt_at": later}])

    async def _send_once(
        self, delivery: dict[str, Any], send: Callable[[dict[str, Any]], Awaitable[None]]
    ) -> None:
        attempts = delivery["attempts"] + 1
        webhook = delivery["channel"] == "webhook"
        try:
            await send(delivery)
        except EndpointGone as exc:
            await self.endpoints.disable(delivery["recipient_id"], "the endpoint answered 410 Gone")
            self._give_up(delivery, attempts, str(exc))
        except PermanentDeliveryError as exc:
            self._give_up(delivery, attempts, str(exc))
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
                self._give_up(delivery, attempts, repr(exc))
            else:
                # the reason, not a traceback: a failing endpoint fails thousands of times
                log.info("delivery %s failed (%r); retrying at %s", delivery["_id"], exc, retry_at)
                self._finish(
                    delivery, DeliveryStatus.RETRYING, attempts, error=repr(exc), retry_at=retry_at
                )
        else:
            if webhook:
                await self.endpoints.succeeded(delivery["recipient_id"])
            self._finish(delivery, DeliveryStatus.SENT, attempts)

    def _finish(
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
            event = self.outcomes.derived.event(
                payload,
                subject_id=delivery["_id"],
                correlation=delivery["correlation_id"],
                event_id=derived_event_id(payload.event_type_name, delivery["_id"], str(attempts)),
            )
        state = {
            "status": status.value,
            "attempts": attempts,
            "last_error": error,
            "next_attempt_at": retry_at,
        }
        self.outcomes.record(log_entry(delivery, state), event)
        self._active.discard(delivery["_id"])
        if retry_at is not None:
            self.submit([{**delivery, **state}])

    async def _mail(self, session: mail.SmtpSession, delivery: dict[str, Any]) -> None:
        message = mail.build_message(delivery, sender=self.settings.mail_from)
        await session.send(self._envelope_sender, delivery["address"], message)

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
        # HostUnresolved propagates: a temporary failure, retried on the schedule
        secrets = self.endpoints.signing_secrets(endpoint, datetime.now(UTC))
        await post_webhook(self._client(), delivery, secrets)

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
        self.submit(await self.deliveries.add_new([owner_notice(endpoint, since, message, now)]))

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(
                timeout=self.settings.webhook_timeout_s,
                limits=httpx.Limits(max_connections=self.settings.webhook_concurrency),
                follow_redirects=False,
            )
        return self._http

    def _give_up(self, delivery: dict[str, Any], attempts: int, error: str) -> None:
        log.error("delivery dead after %d attempts: %s", attempts, error)
        self._finish(delivery, DeliveryStatus.DEAD, attempts, error=error)

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
