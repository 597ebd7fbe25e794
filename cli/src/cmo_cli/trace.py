"""`cmo trace <correlation-id>`: what one request caused across the services, from their data.

Read where the usual settings point (`CMO_KAFKA_BOOTSTRAP`, `CMO_MONGODB_URL`,
`CMO_DB_PREFIX`): the gateway's audit log, every event on the platform's topics carrying the
correlation id, each service's record of the events it applied, the notifications service's
deliveries with their attempts, and the dead letters.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from cmo_shared.kafka import read_to_end, started
from cmo_shared.mongo import connect
from cmo_shared.services import SERVICES
from rich.tree import Tree


@dataclass
class Delivery:
    """One delivery of an event, with each state it went through."""

    channel: str
    recipient: str
    states: list[tuple[datetime, str, str | None]] = field(default_factory=list)


@dataclass
class Published:
    """An event on a topic, who applied it and what was delivered for it."""

    at: datetime
    type: str
    event_id: str
    producer: str
    topic: str
    partition: int
    offset: int
    applied: list[tuple[datetime, str]] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    copies: int = 1


@dataclass
class Trace:
    """Everything found for one correlation id."""

    correlation_id: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    events: list[Published] = field(default_factory=list)
    dead_letters: list[dict[str, Any]] = field(default_factory=list)


async def _topics(bootstrap: str) -> list[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    async with started(admin):
        return sorted(t for t in await admin.list_topics() if t.startswith("cmo."))


def _at(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


async def collect(bootstrap: str, mongodb_url: str, prefix: str, correlation: str) -> Trace:
    """Gather what the correlation id touched, from Kafka and every service's database."""
    trace = Trace(correlation)
    marker = correlation.encode()
    by_id: dict[str, Published] = {}
    for record in await read_to_end(bootstrap, await _topics(bootstrap)):
        if marker not in (record.value or b""):
            continue
        try:
            envelope = json.loads(record.value)
        except ValueError:
            continue
        if not isinstance(envelope, dict) or envelope.get("correlation_id") != correlation:
            continue
        if record.topic.endswith(".dlq"):
            headers = {k: v.decode(errors="replace") for k, v in (record.headers or ())}
            trace.dead_letters.append(
                {
                    "at": datetime.fromtimestamp(record.timestamp / 1000, UTC),
                    "type": envelope.get("type"),
                    "event_id": envelope.get("event_id"),
                    "ref": f"{record.topic}:{record.partition}:{record.offset}",
                    "reason": headers.get("dlq-reason"),
                    "consumer": headers.get("dlq-consumer"),
                    "error": headers.get("dlq-error", "")[:200],
                }
            )
            continue
        event_id = str(envelope.get("event_id"))
        if event_id in by_id:
            by_id[event_id].copies += 1
            continue
        by_id[event_id] = Published(
            at=_at(envelope.get("occurred_at")),
            type=str(envelope.get("type")),
            event_id=event_id,
            producer=str(envelope.get("producer")),
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
        )
    client = connect(mongodb_url)
    try:
        gateway = client[f"{prefix}_gateway"]["audit"]
        trace.requests = await gateway.find({"correlation_id": correlation}).to_list(None)
        ids = sorted(by_id)
        for service in SERVICES:
            if not service.api or not ids:
                continue
            markers = client[f"{prefix}_{service.name}"]["processed_events"]
            async for done in markers.find({"event_id": {"$in": ids}}):
                by_id[done["event_id"]].applied.append((_at(done["applied_at"]), done["consumer"]))
        if ids:
            await _deliveries(client[f"{prefix}_notifications"], ids, by_id)
    finally:
        await client.close()
    trace.events = sorted(by_id.values(), key=lambda e: e.at)
    return trace


async def _deliveries(db: Any, ids: Sequence[str], by_id: dict[str, Published]) -> None:
    records = await db["deliveries"].find({"event_id": {"$in": list(ids)}}).to_list(None)
    deliveries = {
        r["_id"]: Delivery(
            r["channel"], r["recipient_id"], [(_at(r["created_at"]), r["status"], None)]
        )
        for r in records
    }
    if deliveries:
        log = db["delivery_log"].find({"delivery_id": {"$in": sorted(deliveries)}})
        async for entry in log:
            state = (_at(entry["at"]), entry.get("status", "changed"), entry.get("last_error"))
            deliveries[entry["delivery_id"]].states.append(state)
    for record in records:
        delivery = deliveries[record["_id"]]
        delivery.states.sort(key=lambda s: s[0])
        by_id[record["event_id"]].deliveries.append(delivery)


def _clock(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%H:%M:%S.%f")[:-3]


def tree(trace: Trace) -> Tree:
    """The trace as a tree in time order: requests, then each event with its effects."""
    root = Tree(f"[bold]correlation {trace.correlation_id}[/]")
    for request in sorted(trace.requests, key=lambda r: _at(r["at"])):
        who = request.get("login") or "anonymous"
        root.add(
            f"{_clock(_at(request['at']))} gateway {request['method']} {request['path']} → "
            f"{request['status']} ({who}, {request['service']})"
        )
    for event in trace.events:
        copies = f", published {event.copies} times" if event.copies > 1 else ""
        branch = root.add(
            f"{_clock(event.at)} [bold]{event.type}[/] by {event.producer} on "
            f"{event.topic}[{event.partition}]@{event.offset}{copies} (event {event.event_id})"
        )
        for at, consumer in sorted(event.applied):
            branch.add(f"{_clock(at)} applied by {consumer}")
        for delivery in event.deliveries:
            last = delivery.states[-1]
            attempts = sum(1 for _, s, _ in delivery.states if s in ("sent", "retrying", "dead"))
            leaf = branch.add(
                f"{_clock(delivery.states[0][0])} {delivery.channel} to {delivery.recipient}: "
                f"{last[1]} after {attempts} attempt(s)"
            )
            for at, status, error in delivery.states[1:]:
                leaf.add(f"{_clock(at)} {status}" + (f": {error}" if error else ""))
    for dead in sorted(trace.dead_letters, key=lambda d: d["at"]):
        root.add(
            f"{_clock(dead['at'])} [red]dead-lettered[/] {dead['type']} by {dead['consumer']} "
            f"({dead['reason']}) at {dead['ref']}: {dead['error']}"
        )
    if not (trace.requests or trace.events or trace.dead_letters):
        root.add("nothing found")
    return root
