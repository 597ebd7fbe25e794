"""OpenTelemetry traces across HTTP and Kafka, exported over OTLP/HTTP when an endpoint is set.

The W3C `traceparent` crosses every hop. On HTTP, the clients send it (the gateway's aiohttp
pools, the console's httpx client) and FastAPI reads it. On
Kafka, an event is published later than the request that caused it, by the outbox relay's
own task: so the trace context of the request (or consumed event) that wrote an outbox entry
is stored with the entry, and the relay publishes the entry inside that context. FastStream's
telemetry middleware then adds a producer span and puts its context in the record's headers;
a consumer applies each event in a span whose parent is that header (a run of events handled
at once is one span linked to each event's context).

The correlation id stays the key a person types: every span of ours carries it as
`cmo.correlation_id`. Without an endpoint, tracing is off: no headers are parsed and no span
is started.
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import aiohttp
import httpx
from fastapi import FastAPI
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.aiohttp_client import create_trace_config
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Link, Span, SpanKind

CORRELATION_ATTRIBUTE = "cmo.correlation_id"
tracer = trace.get_tracer("cmo")
"""Our spans' tracer; it follows the provider `configure_tracing` sets, a no-op until then."""


def configure_tracing(service: str, endpoint: str | None) -> TracerProvider | None:
    """Export this process's spans to an OTLP/HTTP collector; None (tracing off) without one."""
    if not endpoint:
        return None
    provider = TracerProvider(resource=Resource.create({"service.name": f"cmo-{service}"}))
    exporter = OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces")
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return provider


def current_headers() -> dict[str, str]:
    """The current trace context as W3C headers; empty when no span is being recorded."""
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers


@contextmanager
def within(headers: Mapping[str, str]) -> Iterator[None]:
    """Run the block in the trace context the headers carry (none: the block's own)."""
    if not tracing_on():
        yield
        return
    token = otel_context.attach(propagate.extract(dict(headers)))
    try:
        yield
    finally:
        otel_context.detach(token)


def record_headers(raw: Sequence[tuple[str, bytes]] | None) -> dict[str, str]:
    """A Kafka record's headers as text."""
    return {key: value.decode(errors="replace") for key, value in raw or ()}


@contextmanager
def applying(
    consumer: str, event_type: str, headers: Sequence[Mapping[str, str]], **attributes: Any
) -> Iterator[Span]:
    """A consumer span applying events: the child of one event's context, or linked to each.

    A run of events handled at once has no single parent: its span starts a trace of its own
    with a link to each event's context. Callers check `tracing_on()` first, so that nothing
    is built for it when tracing is off.
    """
    contexts = [propagate.extract(dict(h)) for h in headers]
    parent = contexts[0] if len(contexts) == 1 else otel_context.Context()
    links = []
    if len(contexts) > 1:
        for carried in contexts:
            span_context = trace.get_current_span(carried).get_span_context()
            if span_context.is_valid:
                links.append(Link(span_context))
    with tracer.start_as_current_span(
        f"{consumer} apply {event_type}",
        context=parent,
        kind=SpanKind.CONSUMER,
        links=links,
        attributes={k: v for k, v in attributes.items() if v is not None},
    ) as span:
        yield span


def tag_correlation(correlation_id: str | None) -> None:
    """Put the correlation id on the current span, so a trace can be found by it."""
    if correlation_id:
        trace.get_current_span().set_attribute(CORRELATION_ATTRIBUTE, correlation_id)


def tracing_on() -> bool:
    """Whether spans are exported (a provider was configured in this process)."""
    return isinstance(trace.get_tracer_provider(), TracerProvider)


def trace_app(app: FastAPI) -> None:
    """Give each HTTP request a server span continuing the caller's `traceparent`."""
    if tracing_on():
        FastAPIInstrumentor.instrument_app(app, excluded_urls="health,ready,metrics")


def trace_client(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Give each request of this client a span and send its `traceparent`; return the client."""
    if tracing_on():
        HTTPXClientInstrumentor.instrument_client(client)
    return client


def client_trace_configs() -> list[aiohttp.TraceConfig]:
    """For an aiohttp session: a span per request and its `traceparent`, when tracing is on."""
    return [create_trace_config()] if tracing_on() else []


def broker_middlewares(provider: TracerProvider | None) -> list[Any]:
    """FastStream's telemetry middleware (producer and consumer spans) when tracing is on."""
    return [] if provider is None else [KafkaTelemetryMiddleware(tracer_provider=provider)]
