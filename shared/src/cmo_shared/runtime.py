"""The running parts every service shares: database, broker, outbox relay and consumers."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import Depends, FastAPI
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from .consumer import EventConsumer, Handler, RetryPolicy, dead_letter_publisher, subscribe
from .events import REGISTRY, Envelope
from .http import DEFAULT_ERROR, health_router, install_http_conventions, single_valued_query
from .idempotency import ProcessedEvents
from .kafka import ensure_topics, make_broker
from .locks import DocumentLocks
from .logging import configure_logging
from .mongo import connect, ping
from .outbox import QUEUE, OutboxRelay
from .schedule import run_every
from .settings import ServiceSettings

log = logging.getLogger(__name__)


def in_sequence(handlers: list[Handler]) -> Handler:
    """One handler that runs the given handlers one after the other."""
    if len(handlers) == 1:
        return handlers[0]

    async def run_all(event: Envelope[Any]) -> None:
        for handler in handlers:
            await handler(event)

    return run_all


@dataclass
class ServiceRuntime:
    """One service's connections and background tasks, started and stopped with its app."""

    name: str
    settings: ServiceSettings
    produces: list[str] = field(default_factory=list)
    outbox_collections: list[str] = field(default_factory=list)
    client: AsyncMongoClient = field(init=False)
    db: AsyncDatabase = field(init=False)
    broker: KafkaBroker = field(init=False)
    processed: ProcessedEvents = field(init=False)
    relay: OutboxRelay = field(init=False)
    locks: DocumentLocks = field(default_factory=DocumentLocks, init=False)
    _consumed_topics: list[str] = field(default_factory=list, init=False)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list, init=False)
    _kafka_connected: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.client = connect(self.settings.mongodb_url)
        self.db = self.client[f"{self.settings.db_prefix}_{self.name}"]
        self.broker = make_broker(self.settings.kafka_bootstrap, client_id=self.name)
        self.processed = ProcessedEvents(self.db)
        self.relay = OutboxRelay(
            [self.db[c] for c in self.outbox_collections],
            self._publish,
            poll_interval_s=self.settings.relay_poll_interval_s,
            locks=self.locks,
            queue=self.db[QUEUE],
        )

    def consume(self, topics: list[str], handlers: Mapping[str, Handler]) -> None:
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
        )
        subscribe(self.broker, topics=topics, consumer=consumer, group_id=self.consumer_group)
        self._consumed_topics.extend(topics)

    def consume_events(self, *handler_maps: Mapping[str, Handler]) -> None:
        """Consume the given event types from their topics; one type's handlers run in order."""
        chains: dict[str, list[Handler]] = {}
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
    ) -> None:
        if not self._kafka_connected:
            raise ConnectionError("Kafka not connected yet")
        await self.broker.publish(
            body, topic=topic, key=key, headers=headers, correlation_id=correlation
        )

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
        if on_start is not None:
            await on_start()
        self._tasks.append(asyncio.create_task(self._connect_kafka(), name="kafka-connect"))
        self._tasks.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        if self._consumed_topics:
            self.spawn(run_every(3600, self._prune_markers, "marker-pruning"), "marker-pruning")

    async def _prune_markers(self) -> int:
        retention = timedelta(seconds=self.settings.processed_retention_s)
        return await self.processed.prune(datetime.now(UTC) - retention)

    def spawn(self, coroutine: Awaitable[None], name: str) -> None:
        """Run a background task for the life of the service."""
        self._tasks.append(asyncio.create_task(coroutine, name=name))  # type: ignore[arg-type]

    async def stop(self) -> None:
        """Cancel background tasks and close connections."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        with contextlib.suppress(Exception):
            await self.broker.stop()
        await self.client.close()


def create_service_app(
    runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    routers: list[Any],
    on_start: Callable[[], Awaitable[None]] | None = None,
) -> FastAPI:
    """A FastAPI app with the shared conventions whose lifespan runs the service runtime."""
    configure_logging(runtime.name, runtime.settings.log_level)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runtime.start(on_start)
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(single_valued_query)],
    )
    app.state.internal_secret = runtime.settings.internal_secret
    install_http_conventions(app)
    app.include_router(health_router(runtime.ready))
    for router in routers:
        app.include_router(router, responses=DEFAULT_ERROR)
    return app
