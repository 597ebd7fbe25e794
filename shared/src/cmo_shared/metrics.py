"""A service's Prometheus metrics, served at `/metrics` (internal: the gateway routes none).

HTTP requests come from prometheus-fastapi-instrumentator (`http_requests_total` by handler,
method and status; `http_request_duration_seconds` by handler), Kafka messages from
FastStream's Prometheus middleware (`faststream_*`), and the platform's own from here. Each
service has a registry of its own, so several in one process (tests) do not mix.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_fastapi_instrumentator import Instrumentator

from .kafka import topic_partitions

log = logging.getLogger(__name__)
NOT_MEASURED = ("/metrics", "/health", "/ready")


class ServiceMetrics:
    """The metrics one service reports, on a registry of its own."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        r = self.registry
        self.events = Counter(
            "cmo_events_total",
            "Events the service's consumer took, by type and outcome: applied, duplicate "
            "(applied before: skipped), dead_lettered",
            ["type", "outcome"],
            registry=r,
        )
        self.outbox_pending = Gauge(
            "cmo_outbox_pending",
            "Events stored and not yet published, as the relay last found them",
            registry=r,
        )
        self.outbox_oldest_age = Gauge(
            "cmo_outbox_oldest_age_seconds",
            "Age of the oldest event waiting to be published (0 when none waits)",
            registry=r,
        )
        self.relay_publish = Histogram(
            "cmo_relay_publish_seconds",
            "Time the outbox relay took to publish one batch to Kafka",
            registry=r,
        )
        self.consumer_lag = Gauge(
            "cmo_consumer_lag",
            "Messages of a partition the service's consumer group has not committed yet",
            ["topic", "partition"],
            registry=r,
        )
        self.deliveries = Counter(
            "cmo_deliveries_total",
            "Notification delivery outcomes by channel and status (sent, retrying, dead, ...)",
            ["channel", "status"],
            registry=r,
        )

    def broker_middleware(self) -> Any:
        """FastStream's Prometheus middleware on this registry."""
        return KafkaPrometheusMiddleware(registry=self.registry, app_name=self.service)

    def count_event(self, event_type: str, outcome: str, n: int = 1) -> None:
        """Count `n` events of a type with an outcome."""
        if n:
            self.events.labels(event_type, outcome).inc(n)

    def saw_outbox(self, entries: int, oldest: datetime | None) -> None:
        """What the relay found waiting: how many entries, and when the oldest was stored."""
        self.outbox_pending.set(entries)
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest is not None else 0.0
        self.outbox_oldest_age.set(max(age, 0.0))

    def serve(self, app: FastAPI) -> None:
        """Measure the app's requests and serve every metric at `/metrics`."""
        Instrumentator(
            should_group_status_codes=False,
            excluded_handlers=list(NOT_MEASURED),
            registry=self.registry,
        ).instrument(app).expose(app, include_in_schema=False)

    async def watch_lag(
        self, bootstrap: str, group: str, topics: Callable[[], list[str]], every_s: float = 15.0
    ) -> None:
        """Keep `cmo_consumer_lag` current: end offsets less the group's committed offsets."""
        while True:
            with contextlib.suppress(Exception):
                await self._measure_lag(bootstrap, group, topics())
            await asyncio.sleep(every_s)

    async def _measure_lag(self, bootstrap: str, group: str, topics: list[str]) -> None:
        partitions = await topic_partitions(bootstrap, topics)
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
        reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        await admin.start()
        await reader.start()
        try:
            committed = await admin.list_consumer_group_offsets(group)
            ends = await reader.end_offsets(partitions) if partitions else {}
        finally:
            await reader.stop()
            await admin.close()
        for tp, end in ends.items():
            done = committed.get(tp)
            position = done.offset if done is not None and done.offset >= 0 else 0
            self.consumer_lag.labels(tp.topic, str(tp.partition)).set(max(end - position, 0))
