"""Sends due email deliveries with bounded concurrency, retrying on a schedule until dead."""

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cmo_shared.events import new_event
from cmo_shared.events.notifications import NotificationDelivered, NotificationFailed

from . import mail
from .domain import DeliveryStatus, next_attempt_at
from .repository import DeliveryRepository
from .settings import NotificationsSettings

log = logging.getLogger(__name__)
PRODUCER = "notifications"


@dataclass
class Dispatcher:
    """Claims due email deliveries and sends them, recording each attempt."""

    deliveries: DeliveryRepository
    settings: NotificationsSettings
    wake_relay: Any
    _wake: asyncio.Event = field(default_factory=asyncio.Event)

    def wake(self) -> None:
        """Look for due deliveries now."""
        self._wake.set()

    async def run(self) -> None:
        """Claim as many due deliveries as there are free senders, and send them.

        One claimer per process: FerretDB 1.24 does not make conditional updates atomic
        between concurrent writers, so claims are never raced inside the process. Only what
        can be sent at once is claimed, so a claim's lease never runs out while it waits.
        """
        sending: set[asyncio.Task[None]] = set()
        while True:
            free = self.settings.dispatch_concurrency - len(sending)
            if free == 0:
                await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
                continue
            batch = await self._claim(free)
            if not batch:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._wake.wait(), self.settings.dispatch_poll_interval_s
                    )
                continue
            for delivery in batch:
                task = asyncio.create_task(self._attempt(delivery))
                sending.add(task)
                task.add_done_callback(sending.discard)

    async def _claim(self, limit: int) -> list[dict[str, Any]]:
        try:
            return await self.deliveries.claim_due(datetime.now(UTC), limit=limit)
        except Exception:
            log.warning("cannot claim deliveries; database unavailable?", exc_info=True)
            return []

    async def _attempt(self, delivery: dict[str, Any]) -> None:
        attempts = delivery["attempts"] + 1
        try:
            await mail.send(
                mail.build_message(delivery, sender=self.settings.mail_from),
                host=self.settings.smtp_host,
                port=self.settings.smtp_port,
                timeout_s=self.settings.smtp_timeout_s,
            )
        except mail.PermanentDeliveryError as exc:
            await self._give_up(delivery, attempts, str(exc))
        except Exception as exc:
            retry_at = next_attempt_at(self.settings.retry_schedule_s, attempts, datetime.now(UTC))
            if retry_at is None:
                await self._give_up(delivery, attempts, repr(exc))
            else:
                log.info("email delivery failed; retrying at %s", retry_at, exc_info=True)
                await self.deliveries.finish(
                    delivery["_id"],
                    status=DeliveryStatus.RETRYING,
                    attempts=attempts,
                    error=repr(exc),
                    next_attempt_at=retry_at,
                )
        else:
            event = new_event(
                NotificationDelivered(**self._outcome(delivery, attempts)),
                producer=PRODUCER,
                subject_id=delivery["_id"],
                correlation_id=delivery["correlation_id"],
            )
            await self.deliveries.finish(
                delivery["_id"],
                status=DeliveryStatus.SENT,
                attempts=attempts,
                error=None,
                next_attempt_at=None,
                events=[event],
            )
            self.wake_relay()

    async def _give_up(self, delivery: dict[str, Any], attempts: int, error: str) -> None:
        log.error("email delivery dead after %d attempts: %s", attempts, error)
        event = new_event(
            NotificationFailed(**self._outcome(delivery, attempts), error=error),
            producer=PRODUCER,
            subject_id=delivery["_id"],
            correlation_id=delivery["correlation_id"],
        )
        await self.deliveries.finish(
            delivery["_id"],
            status=DeliveryStatus.DEAD,
            attempts=attempts,
            error=error,
            next_attempt_at=None,
            events=[event],
        )
        self.wake_relay()

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
