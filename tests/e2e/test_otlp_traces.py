"""With `CMO_OTLP_ENDPOINT` set, one request's trace crosses the gateway, the service it calls,
Kafka and the consumers of the event it published: one trace id, each hop the child of the
one before, found by the correlation id. The spans are read as a collector reads them: the
OTLP/HTTP protobuf requests, decoded with OpenTelemetry's own message classes."""

import asyncio
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from cmo_shared.kafka import start_at_end
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from tests.conftest import (
    Infra,
    ServiceProcess,
    create_admin,
    gateway_env,
    start_service,
    stop_services,
)
from tests.helpers import applicant, bearer, eventually, sign_in


@dataclass(frozen=True)
class Received:
    """One span as the collector got it, with the service that sent it."""

    service: str
    span: Span

    def attribute(self, key: str) -> str | None:
        """A string attribute of the span."""
        for item in self.span.attributes:
            if item.key == key:
                return item.value.string_value
        return None


class Collector(ThreadingHTTPServer):
    """An OTLP/HTTP trace receiver keeping every span it is sent."""

    def __init__(self) -> None:
        self.spans: list[Received] = []
        super().__init__(("127.0.0.1", 0), _Export)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Export(BaseHTTPRequestHandler):
    server: Collector

    def do_POST(self) -> None:
        request = ExportTraceServiceRequest()
        request.ParseFromString(self.rfile.read(int(self.headers["Content-Length"])))
        for resource in request.resource_spans:
            names = [a.value.string_value for a in resource.resource.attributes]
            keys = [a.key for a in resource.resource.attributes]
            service = names[keys.index("service.name")]
            for scope in resource.scope_spans:
                self.server.spans.extend(Received(service, span) for span in scope.spans)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[Collector]:
    server = Collector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def traced_stack(
    infra: Infra, collector: Collector, tmp_path: Path
) -> Iterator[dict[str, ServiceProcess]]:
    """Members, funding and a gateway in front of them, exporting spans to the collector.

    Funding's new group starts at the end of the topics: catching up on what earlier tests
    published, it would apply the approval in a run with other events, whose span is linked
    to each event's context rather than the child of one.
    """
    prefix = f"otel{uuid.uuid4().hex[:6]}"
    asyncio.run(start_at_end(infra.kafka_bootstrap, f"{prefix}-funding"))
    env = {
        "CMO_DB_PREFIX": prefix,
        "CMO_OTLP_ENDPOINT": collector.endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "200",
    }
    started: dict[str, ServiceProcess] = {}
    try:
        for name in ("members", "funding"):
            started[name] = start_service(name, infra, tmp_path, **env)
        upstreams = {name: service.url for name, service in started.items()}
        create_admin(infra, "otel-admin@cmo.example", "an otel admin password", **env)
        started["gateway"] = start_service(
            "gateway", infra, tmp_path, **gateway_env(upstreams, **env)
        )
        yield started
    finally:
        stop_services(list(started.values()))


async def test_an_approval_is_one_trace_from_the_gateway_to_the_event_consumers(
    collector: Collector, traced_stack: dict[str, ServiceProcess]
) -> None:
    correlation = f"otel-{uuid.uuid4().hex[:6]}"

    def applied_by_funding(
        event_type: str, correlation_id: str
    ) -> Callable[[], Awaitable[list[Received]]]:
        """A probe of funding's spans applying an event of the type, by correlation id."""

        async def probe() -> list[Received]:
            return [
                s
                for s in collector.spans
                if s.service == "cmo-funding"
                and s.span.name == f"funding apply {event_type}"
                and s.attribute("cmo.correlation_id") == correlation_id
            ]

        return probe

    async with httpx.AsyncClient(base_url=traced_stack["gateway"].url, timeout=30) as http:
        admin = bearer(await sign_in(http, "otel-admin@cmo.example", "an otel admin password"))
        body = applicant(("Tamar", f"tamar-{correlation}@otel.example", "en"))
        applying = {**admin, "X-Correlation-ID": f"{correlation}-apply"}
        member_id = (await http.post("/members", json=body, headers=applying)).json()["member_id"]
        # funding applies `member.applied` first, so the approval's event is not in its run
        applied_first = applied_by_funding("member.applied", f"{correlation}-apply")
        await eventually(applied_first, lambda found: len(found) == 1, timeout_s=120)
        approved = await http.post(
            f"/members/{member_id}/approve", headers={**admin, "X-Correlation-ID": correlation}
        )
        assert approved.status_code == 200, approved.text

    joined = applied_by_funding("member.joined", correlation)
    [applied] = await eventually(joined, lambda found: len(found) == 1, timeout_s=120)
    trace_id = applied.span.trace_id
    # every span the exporters send for the trace's hops has arrived once the consumer's has
    await asyncio.sleep(1)
    in_trace = {s.span.span_id: s for s in collector.spans if s.span.trace_id == trace_id}

    # The chain, walked from the consumer up to the root.
    chain = [applied]
    while chain[-1].span.parent_span_id:
        chain.append(in_trace[chain[-1].span.parent_span_id])
    hops = [(s.service, s.span.kind) for s in chain]
    root = chain[-1]
    assert (root.service, root.span.kind) == ("cmo-gateway", Span.SPAN_KIND_SERVER)
    assert root.attribute("cmo.correlation_id") == correlation
    assert root.span.name.startswith("POST /members/")  # the gateway's route template
    assert ("cmo-gateway", Span.SPAN_KIND_CLIENT) in hops  # httpx to members
    members_server = next(
        s for s in chain if (s.service, s.span.kind) == ("cmo-members", Span.SPAN_KIND_SERVER)
    )
    assert members_server.attribute("cmo.correlation_id") == correlation
    path = members_server.attribute("http.target") or members_server.attribute("url.path")
    assert path == f"/members/{member_id}/approve"
    # funding's span is the child of the producer span members' relay published the event in
    parent = in_trace[applied.span.parent_span_id]
    assert (parent.service, parent.span.kind) == ("cmo-members", Span.SPAN_KIND_PRODUCER)
    assert "cmo.members" in parent.span.name
    assert hops.index(("cmo-members", Span.SPAN_KIND_SERVER)) > hops.index(
        ("cmo-members", Span.SPAN_KIND_PRODUCER)
    )
    # and nothing of another request is in this trace
    others = {
        s.attribute("cmo.correlation_id")
        for s in in_trace.values()
        if s.attribute("cmo.correlation_id")
    }
    assert others == {correlation}
