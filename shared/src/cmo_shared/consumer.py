"""At-least-once event consumers with idempotent handlers, bounded retries and a dead-letter topic.

Offsets are committed only after every message of a batch was handled or dead-lettered. A
message that cannot be decoded, or whose handler keeps failing after `max_attempts`, goes to
`<topic>.dlq` with the reason and its origin in headers, and the partition keeps flowing.
Outages of MongoDB or Kafka are not the message's fault: the consumer waits them out instead.
"""

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, TypeVar

from aiokafka import ConsumerRecord
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError
from cmo_contracts import Envelope, EventDecodeError, UnknownEventType, decode
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pymongo.errors import ConnectionFailure

from .idempotency import ProcessedEvents
from .kafka import dead_letter_topic
from .logging import correlation_id
from .tracing import applying, record_headers, tracing_on

log = logging.getLogger(__name__)

T = TypeVar("T")
Handler = Callable[[Envelope[Any]], Awaitable[None]]


@dataclass(frozen=True)
class Batch:
    """A handler that takes, at once, every consecutive event of a consumer batch it handles.

    It can then write them in one bulk operation. The events come in their order in the batch
    (runs are cut where another handler's event comes between), duplicates already left out.
    If a run keeps failing, its events are retried one at a time, so that only the event that
    fails on its own is dead-lettered.
    """

    handle: Callable[[Sequence[Envelope[Any]]], Awaitable[None]]


EventHandler = Handler | Batch
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionFailure,
    KafkaConnectionError,
    KafkaTimeoutError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failing handler is retried before dead-lettering."""

    max_attempts: int = 5
    first_backoff_s: float = 0.2
    max_backoff_s: float = 10.0

    def backoff(self, attempt: int) -> float:
        """Delay before retry number `attempt` (1-based), doubling up to the maximum."""
        return min(self.first_backoff_s * 2 ** (attempt - 1), self.max_backoff_s)


class EventConsumer:
    """Dispatches a topic's events to handlers by type, once per event id, for one consumer.

    Markers of applied events are read once per batch and written once after it.
    """

    def __init__(
        self,
        *,
        name: str,
        handlers: Mapping[str, EventHandler],
        processed: ProcessedEvents,
        dead_letter: Callable[[ConsumerRecord, str, str, int], Awaitable[None]],
        retry: RetryPolicy,
        count: Callable[[str, str, int], None] = lambda _type, _outcome, _n: None,
    ) -> None:
        self.name = name
        self._handlers = handlers
        self._processed = processed
        self._dead_letter = dead_letter
        self._retry = retry
        self._count = count  # (event type, outcome, how many): applied, duplicate, dead_lettered

    async def handle_batch(self, records: Sequence[ConsumerRecord]) -> None:
        """Handle records in order: decode, skip applied ones, apply, retry or dead-letter."""
        events: list[tuple[ConsumerRecord, Envelope[Any]]] = []
        for record in records:
            try:
                event = decode(record.value or b"")
            except UnknownEventType:
                continue
            except EventDecodeError as exc:
                await self._dead_letter(record, "decode_error", str(exc), 0)
                self._count("undecodable", "dead_lettered", 1)
                continue
            if event.type in self._handlers:
                events.append((record, event))
        if not events:
            return
        done = await self._until_available(
            lambda: self._processed.applied_among(self.name, [e.event_id for _, e in events])
        )
        fresh: list[tuple[ConsumerRecord, Envelope[Any]]] = []
        for record, event in events:
            if str(event.event_id) not in done:
                done.add(str(event.event_id))  # the same event twice in one batch
                fresh.append((record, event))
            else:
                self._count(event.type, "duplicate", 1)
        applied: list[str] = []
        for run in self._runs(fresh):
            applied.extend(await self._apply_run(run))
        await self._until_available(lambda: self._processed.record(self.name, applied))
        kept = set(applied)
        for _, event in fresh:
            self._count(
                event.type, "applied" if str(event.event_id) in kept else "dead_lettered", 1
            )

    def _runs(
        self, events: list[tuple[ConsumerRecord, Envelope[Any]]]
    ) -> list[list[tuple[ConsumerRecord, Envelope[Any]]]]:
        """Consecutive events of one batch handler together; every other event on its own."""
        runs: list[list[tuple[ConsumerRecord, Envelope[Any]]]] = []
        for item in events:
            handler = self._handlers[item[1].type]
            previous = runs[-1][-1][1].type if runs else None
            if isinstance(handler, Batch) and previous and self._handlers[previous] is handler:
                runs[-1].append(item)
            else:
                runs.append([item])
        return runs

    async def _apply_run(self, run: list[tuple[ConsumerRecord, Envelope[Any]]]) -> list[str]:
        """Apply a run of events; the ids of those applied (not dead-lettered)."""
        handler = self._handlers[run[0][1].type]
        if isinstance(handler, Batch) and len(run) > 1:
            token = correlation_id.set(run[0][1].correlation_id)
            try:
                with self._span(run):
                    await self._with_retries(lambda: handler.handle([e for _, e in run]))
                return [str(e.event_id) for _, e in run]
            except Exception:
                log.warning("batch of %d failed; applying its events one by one", len(run))
            finally:
                correlation_id.reset(token)
        applied = []
        for record, event in run:
            token = correlation_id.set(event.correlation_id)
            try:
                with self._span([(record, event)]):
                    if await self._apply_with_retries(record, event):
                        applied.append(str(event.event_id))
            finally:
                correlation_id.reset(token)
        return applied

    def _span(
        self, run: Sequence[tuple[ConsumerRecord, Envelope[Any]]]
    ) -> AbstractContextManager[Any]:
        """The trace span of applying a run of events (one event: the child of its record's)."""
        if not tracing_on():
            return nullcontext()
        record, event = run[0]
        return applying(
            self.name,
            event.type,
            [record_headers(r.headers) for r, _ in run],
            **{
                "cmo.correlation_id": event.correlation_id,
                "cmo.event_id": str(event.event_id) if len(run) == 1 else None,
                "cmo.events": len(run),
                "messaging.destination.name": record.topic,
                "messaging.kafka.destination.partition": record.partition,
                "messaging.kafka.message.offset": record.offset,
            },
        )

    async def _until_available(self, operation: Callable[[], Awaitable[T]]) -> T:
        outage = 0
        while True:
            try:
                return await operation()
            except TRANSIENT_ERRORS:
                outage += 1
                log.warning("dependency unavailable; retrying", exc_info=True)
                await asyncio.sleep(self._retry.backoff(outage))

    async def _with_retries(self, apply: Callable[[], Awaitable[None]]) -> None:
        """Apply, waiting out outages and retrying failures; raise the last failure."""
        attempt = 0
        while True:
            try:
                await self._until_available(apply)
                return
            except Exception:
                attempt += 1
                if attempt >= self._retry.max_attempts:
                    raise
                await asyncio.sleep(self._retry.backoff(attempt))

    async def _apply_with_retries(self, record: ConsumerRecord, event: Envelope[Any]) -> bool:
        """Apply the event's handler; False if it kept failing and went to the dead letters."""
        handler = self._handlers[event.type]
        if isinstance(handler, Batch):
            apply = functools.partial(handler.handle, [event])
        else:
            apply = functools.partial(handler, event)
        try:
            await self._with_retries(apply)
            return True
        except Exception as exc:
            attempts = self._retry.max_attempts
            log.exception("handler failed %d times; dead-lettering %s", attempts, event.type)
            await self._dead_letter(record, "handler_error", repr(exc), attempts)
            return False


def dead_letter_publisher(
    broker: KafkaBroker, consumer_name: str
) -> Callable[[ConsumerRecord, str, str, int], Awaitable[None]]:
    """A function that sends a record to its topic's dead-letter topic with the reason."""

    async def dead_letter(record: ConsumerRecord, reason: str, error: str, attempts: int) -> None:
        headers = {k: v.decode(errors="replace") for k, v in (record.headers or ())}
        headers.update(
            {
                "dlq-reason": reason,
                "dlq-error": error[:2000],
                "dlq-consumer": consumer_name,
                "dlq-attempts": str(attempts),
                "dlq-original-topic": record.topic,
                "dlq-original-partition": str(record.partition),
                "dlq-original-offset": str(record.offset),
            }
        )
        await broker.publish(
            record.value or b"",
            topic=dead_letter_topic(record.topic),
            key=record.key,
            headers=headers,
        )
        log.error(
            "dead-lettered message",
            extra={"topic": record.topic, "offset": record.offset, "reason": reason},
        )

    return dead_letter


async def _left_to_the_consumer(message: KafkaMessage) -> None:
    """FastStream's decoding of a batch, skipped: the consumer decodes each record's envelope.

    FastStream would otherwise build a message object and parse the JSON of every record of
    every batch before the handler runs (a fifth of a read model's CPU), for nothing.
    """
    return None


IDLE_WAIT_MS = 20
"""How long a fetch waits for records when there are none. FastStream's batch subscriber
then sleeps as long again before it fetches, and an event arriving meanwhile waits. At 200 ms
an idle service took 97 ms on average from an event's publishing to its handler (each hop of
a flow between services); at 20 ms, 50 ms, for about 4 ms of CPU a second more when idle."""


def subscribe(
    broker: KafkaBroker,
    *,
    topics: list[str],
    consumer: EventConsumer,
    group_id: str,
    max_records: int = 200,
) -> None:
    """Attach `consumer` to the topics in a consumer group that commits after handling."""

    @broker.subscriber(
        *topics,
        group_id=group_id,
        batch=True,
        max_records=max_records,
        batch_timeout_ms=IDLE_WAIT_MS,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        decoder=_left_to_the_consumer,
        title=f"{group_id}:{','.join(topics)}",
        description=f"{consumer.name} consumes {', '.join(topics)}",
    )
    async def consume(message: KafkaMessage) -> None:
        records = message.raw_message
        await consumer.handle_batch(records if isinstance(records, tuple) else (records,))
