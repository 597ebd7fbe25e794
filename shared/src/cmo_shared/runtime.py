"""The running parts every service shares: database, broker, outbox relay and consumers."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka.errors import OutOfOrderSequenceNumber
from cmo_contracts import REGISTRY, Envelope
from fastapi import Depends, FastAPI
from faststream.kafka import KafkaBroker
from opentelemetry.sdk.trace import TracerProvider
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from .consumer import (
    Batch,
    EventConsumer,
    EventHandler,
    RetryPolicy,
    dead_letter_publisher,
    subscribe,
)
from .feature import Feature, Job, services_of
from .http import DEFAULT_ERROR, health_router, install_http_conventions, single_valued_query
from .idempotency import ProcessedEvents
from .kafka import ensure_topics, make_broker, renew_producer
from .logging import configure_logging, correlation_id
from .metrics import ServiceMetrics
from .mongo import connect, ping
from .outbox import OutboxRelay
from .settings import ServiceSettings
from .store import WritePath
from .tracing import broker_middlewares, configure_tracing, trace_app, within

log = logging.getLogger(__name__)


def in_sequence(handlers: list[EventHandler]) -> EventHandler:
    """One handler that runs the given handlers one after the other."""
    if len(handlers) == 1:
        return handlers[0]
    if any(isinstance(h, Batch) for h in handlers):
        raise ValueError("a batch handler must be the only handler of its event types")

    async def run_all(event: Envelope[Any]) -> None:
        for handler in handlers:
            await handler(event)  # type: ignore[operator]

    return run_all


@dataclass
class ServiceRuntime:
    """One service's connections and background tasks, started and stopped with its app."""

    name: str
    settings: ServiceSettings
    produces: list[str] = field(default_factory=list)
    client: AsyncMongoClient = field(init=False)
    db: AsyncDatabase = field(init=False)
    broker: KafkaBroker = field(init=False)
    metrics: ServiceMetrics = field(init=False)
    tracing: TracerProvider | None = field(init=False)
    processed: ProcessedEvents = field(init=False)
    writes: WritePath = field(init=False)
    _consumed_topics: list[str] = field(default_factory=list, init=False)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list, init=False)
    _kafka_connected: bool = field(default=False, init=False)
    _producer_generation: int = field(default=0, init=False)
    _renewal: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    def __post_init__(self) -> None:
        self.client = connect(self.settings.mongodb_url)
        self.db = self.client[f"{self.settings.db_prefix}_{self.name}"]
        self.metrics = ServiceMetrics(self.name)
        self.tracing = configure_tracing(self.name, self.settings.otlp_endpoint)
        self.broker = make_broker(
            self.settings.kafka_bootstrap,
            client_id=self.name,
            middlewares=[self.metrics.broker_middleware(), *broker_middlewares(self.tracing)],
        )
        self.processed = ProcessedEvents(self.db)
        self.writes = WritePath(
            self.db,
            self.name,
            self._publish,
            poll_interval_s=self.settings.relay_poll_interval_s,
            metrics=self.metrics,
        )

    @property
    def relay(self) -> OutboxRelay:
        """The relay publishing what the write path stored."""
        return self.writes.relay

    def consume(self, topics: list[str], handlers: Mapping[str, EventHandler]) -> None:
        """Handle the given event types from the topics, once each, with one group consumer.

        One consumer per service, whatever the number of topics: consumers of one group with
        different subscriptions rebalance each other whenever one joins or stalls.
        """
        if self._consumed_topics:
            raise RuntimeError("a service consumes through one subscriber: call consume once")
        consumer = EventConsumer(
            name=self.name,
            handlers=handlers,
            processed=self.processed,
            dead_letter=dead_letter_publisher(self.broker, self.name),
            retry=RetryPolicy(
                max_attempts=self.settings.consumer_max_attempts,
                first_backoff_s=self.settings.consumer_retry_backoff_s,
            ),
            count=self.metrics.count_event,
        )
        subscribe(self.broker, topics=topics, consumer=consumer, group_id=self.consumer_group)
        self._consumed_topics.extend(topics)

    def consume_events(self, *handler_maps: Mapping[str, EventHandler]) -> None:
        """Consume the given event types from their topics; one type's handlers run in order."""
        chains: dict[str, list[EventHandler]] = {}
        for handlers in handler_maps:
            for event_type, handler in handlers.items():
                chains.setdefault(event_type, []).append(handler)
        topics = sorted({REGISTRY[t].topic for t in chains})
        self.consume(topics, {t: in_sequence(chain) for t, chain in chains.items()})

    @property
    def consumer_group(self) -> str:
        """Kafka consumer group: `<db prefix>-<service>`, one per deployment of the service."""
        return f"{self.settings.db_prefix}-{self.name}"

    def collection(self, name: str) -> AsyncCollection:
        """A collection of this service's own database."""
        return self.db[name]

    async def _publish(
        self, topic: str, key: bytes, body: bytes, correlation: str, headers: dict[str, str]
    ) -> Awaitable[Any]:
        """Hand one record to the producer; the awaitable of its acknowledgement (`Publish`)."""
        if not self._kafka_connected:
            raise ConnectionError("Kafka not connected yet")
        with within(headers):  # the request's or event's trace, stored with the outbox entry
            acknowledgement = await self.broker.publish(
                body,
                topic=topic,
                key=key,
                headers=headers,
                correlation_id=correlation,
                no_confirm=True,
            )
        return self._watched(acknowledgement)

    def _watched(self, acknowledgement: asyncio.Future[Any]) -> asyncio.Future[Any]:
        """The acknowledgement, as is, watched for a send out of step with the broker.

        Such a failure renews the producer, once per producer, in the background; the caller
        still sees the failure (the relay tries again).
        """
        generation = self._producer_generation

        def check(done: asyncio.Future[Any]) -> None:
            out_of_step = not done.cancelled() and isinstance(
                done.exception(), OutOfOrderSequenceNumber
            )
            if out_of_step and generation == self._producer_generation:
                self._producer_generation += 1
                self.spawn(self._renew_producer(), "producer-renewal")

        acknowledgement.add_done_callback(check)
        return acknowledgement

    async def _renew_producer(self) -> None:
        async with self._renewal:
            log.warning("producer out of step with the broker; renewing it")
            await renew_producer(self.broker)

    async def _connect_kafka(self) -> None:
        """Connect to Kafka, retrying until it answers, so the API serves during an outage."""
        topics = self.produces + self._consumed_topics
        delay = 0.5
        while True:
            try:
                await ensure_topics(self.settings.kafka_bootstrap, topics)
                await self.broker.start()
                self._kafka_connected = True
                self.relay.wake()
                log.info("connected to Kafka")
                return
            except Exception:
                log.warning("Kafka unavailable; retrying in %.1fs", delay, exc_info=True)
                with contextlib.suppress(Exception):
                    await self.broker.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def ready(self) -> dict[str, bool]:
        """Whether the database and Kafka are reachable right now."""
        kafka = self._kafka_connected and await self.broker.ping(timeout=2.0)
        return {"database": await ping(self.db), "kafka": bool(kafka)}

    async def start(self, on_start: Callable[[], Awaitable[None]] | None = None) -> None:
        """Prepare indexes and start Kafka connection, relay and consumers in the background."""
        for name in self.settings.development_secrets():
            log.warning("%s is the development default: set it in production", name)
        await self.processed.ensure_indexes()
        await self.writes.ensure_indexes()
        if on_start is not None:
            await on_start()
        self._tasks.append(asyncio.create_task(self._connect_kafka(), name="kafka-connect"))
        self._tasks.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        if self._consumed_topics:
            pruning = Job("marker-pruning", 3600, self._prune_markers)
            self.spawn(pruning.forever(), "marker-pruning")
            lag = self.metrics.watch_lag(
                self.settings.kafka_bootstrap, self.consumer_group, lambda: self._consumed_topics
            )
            self.spawn(lag, "consumer-lag")

    async def _prune_markers(self) -> int:
        retention = timedelta(seconds=self.settings.processed_retention_s)
        return await self.processed.prune(datetime.now(UTC) - retention)

    def spawn(self, coroutine: Awaitable[None], name: str) -> None:
        """Run a background task for the life of the service."""
        self._tasks.append(asyncio.create_task(coroutine, name=name))  # type: ignore[arg-type]

    async def stop(self, on_stop: Callable[[], Awaitable[None]] | None = None) -> None:
        """Stop gracefully: consume no more, finish, publish what is queued, close.

        Consumers stop first (a batch in hand is applied and committed), then `on_stop` runs
        (what this process alone would otherwise leave undone), then the relay publishes what
        is left, each within `shutdown_grace_s`; then background tasks are cancelled.
        """
        grace = self.settings.shutdown_grace_s
        for subscriber in self.broker.subscribers:
            with contextlib.suppress(Exception):
                await subscriber.stop()
        if on_stop is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(on_stop(), grace)
        if self._kafka_connected:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.relay.drain_all(), grace)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        with contextlib.suppress(Exception):
            await self.broker.stop()
        await self.client.close()
        if self.tracing is not None:
            self.tracing.shutdown()  # sends the spans still buffered


def create_service_app(
    runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    features: list[Feature],
) -> FastAPI:
    """A FastAPI app with the shared conventions whose lifespan runs the service runtime.

    Each feature's router is mounted, its use cases provided to routes, its handlers consumed
    and, once the service started, its start-up steps run and its jobs scheduled.
    """
    configure_logging(runtime.name, runtime.settings.log_level)
    handler_maps = [f.handlers for f in features if f.handlers]
    if handler_maps:
        runtime.consume_events(*handler_maps)

    async def start_features() -> None:
        for feature in features:
            token = correlation_id.set(f"start:{feature.name}")
            try:
                for step in feature.on_start:
                    await step()
            finally:
                correlation_id.reset(token)
        for feature in features:
            for job in feature.jobs:
                runtime.spawn(job.forever(), f"{job.name}-job")
            for task in feature.tasks:
                runtime.spawn(task(), f"{feature.name}-task")

    async def stop_features() -> None:
        for feature in features:
            for step in feature.on_stop:
                await step()

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runtime.start(start_features)
        try:
            yield
        finally:
            await runtime.stop(stop_features)

    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(single_valued_query)],
    )
    app.state.internal_secret = runtime.settings.internal_secret
    runtime.metrics.serve(app)
    trace_app(app)
    install_http_conventions(app)
    app.include_router(health_router(runtime.ready))
    app.state.runtime = runtime
    app.state.services = services_of(features)
    for feature in features:
        if feature.router is not None:
            app.include_router(feature.router, responses=DEFAULT_ERROR)
    return app
