"""A service's Prometheus metrics, served at `/metrics` (internal: the gateway routes none).

HTTP requests are counted by `RequestMetrics` (`http_requests_total` by handler, method and
status; `http_request_duration_seconds` by handler and method), Kafka messages by FastStream's
Prometheus middleware (`faststream_*`), and the platform's own here. Each service has a
registry of its own, so several in one process (tests) do not mix.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI, Response
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .kafka import group_lag, started, topic_partitions

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
        requests = Counter(
            "http_requests_total",
            "HTTP requests answered, by route template, method and status",
            ["handler", "method", "status"],
            registry=self.registry,
        )
        latency = Histogram(
            "http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by route template",
            ["handler", "method"],
            registry=self.registry,
        )
        app.add_middleware(RequestMetrics, requests=requests, latency=latency)

        async def metrics() -> Response:
            return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)

        app.add_api_route("/metrics", metrics, include_in_schema=False)

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
        async with started(admin, reader):
            lag = await group_lag(admin, reader, group, partitions)
        for tp, behind in lag.items():
            self.consumer_lag.labels(tp.topic, str(tp.partition)).set(behind)


class RequestMetrics:
    """Counts and times every HTTP request by the route template it matched (plain ASGI).

    The template is the route the app itself matched (`scope["route"]`), read once the app
    has answered, so no route is matched twice; a path no route matches counts as `none`.
    (prometheus-fastapi-instrumentator matched every route again on each request, which
    cost the gateway, with its long routing table, a tenth of its CPU.)
    """

    def __init__(self, app: ASGIApp, requests: Counter, latency: Histogram) -> None:
        self.app = app
        self.requests = requests
        self.latency = latency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request, noting its status; count it once answered (or failed: 500)."""
        if scope["type"] != "http" or scope["path"] in NOT_MEASURED:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting)
        finally:
            handler = getattr(scope.get("route"), "path", None) or "none"
            method = scope["method"]
            self.requests.labels(handler, method, str(status)).inc()
            self.latency.labels(handler, method).observe(time.perf_counter() - started)
