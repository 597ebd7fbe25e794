"""Throughput of the platform's consumer pipeline against a raw aiokafka consumer.

Both read the same N `member.joined` events from the same broker and write to the same
database, one after the other in this run, each timed from its first batch received to its
last event stored (a throughput: starting clients and joining a group are left out):

- pipeline: FastStream batch subscriber -> decode envelope -> skip events already applied
  (unique (consumer, event id) markers) -> a `Batch` handler inserts the run's members into
  the read model in one bulk write, keyed by member id -> markers recorded -> commit after
  handling;
- raw: aiokafka `getmany` -> `json.loads` -> `insert_many` -> commit, once storing the events
  as they are (the issue's baseline) and once storing the handler's three fields.

Starts its own Kafka and FerretDB on free ports (or uses CMO_KAFKA_BOOTSTRAP and
CMO_MONGODB_URL when both are set).

Usage: `python -m bench.pipeline_vs_raw [N ...] [--quick] [--json FILE]`.
"""

import asyncio
import json
import time
import uuid
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from cmo_contracts import encode
from cmo_shared.consumer import Batch, EventConsumer, RetryPolicy, subscribe
from cmo_shared.idempotency import ProcessedEvents
from cmo_shared.kafka import ensure_topics, make_broker
from cmo_shared.mongo import connect, insert_new
from cmo_shared.testing import member_joined, sample_contact

from bench.harness import Figure, main


def events(n: int) -> list[tuple[bytes, bytes]]:
    """N encoded `member.joined` envelopes with their keys."""
    out = []
    for i in range(n):
        event = member_joined(legal_name=f"Bench {i}", contacts=[sample_contact()])
        out.append((event.subject_id.encode(), encode(event)))
    return out


async def produce(bootstrap: str, topic: str, records: list[tuple[bytes, bytes]]) -> None:
    """Write the events to the topic."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        futures = [await producer.send(topic, value, key=key) for key, value in records]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def run_pipeline(bootstrap: str, mongodb_url: str, topic: str, n: int) -> float:
    """Seconds for the platform pipeline to apply all N events."""
    client = connect(mongodb_url)
    db = client[f"bench_pipeline_{uuid.uuid4().hex[:6]}"]
    processed = ProcessedEvents(db)
    await processed.ensure_indexes()
    members = db["members"]
    done = asyncio.Event()
    applied = 0

    async def on_joined(batch) -> None:
        nonlocal applied
        # One bulk write per run of the batch, keyed by the member id, so a replay cannot
        # apply it twice (the platform-base `Batch` handler, as the read models use it).
        documents = [
            {"_id": e.subject_id, "legal_name": e.payload.legal_name, "status": "active"}
            for e in batch
        ]  # the fields `member_row` takes for the raw side
        await insert_new(members, documents)
        applied += len(documents)
        if applied >= n:
            done.set()

    async def dead_letter(*_args: object) -> None:
        raise AssertionError("no message should be dead-lettered in the benchmark")

    broker = make_broker(bootstrap, client_id="bench")
    consumer = EventConsumer(
        name="bench",
        handlers={"member.joined": Batch(on_joined)},
        processed=processed,
        dead_letter=dead_letter,
        retry=RetryPolicy(),
    )
    first_at: list[float] = []
    handle_batch = consumer.handle_batch

    async def clocked(records) -> None:
        first_at[:] = first_at or [time.perf_counter()]
        await handle_batch(records)

    consumer.handle_batch = clocked  # type: ignore[method-assign]
    subscribe(
        broker,
        topics=[topic],
        consumer=consumer,
        group_id=f"bench-{uuid.uuid4().hex[:6]}",
        max_records=500,
    )
    await broker.start()
    await done.wait()
    elapsed = time.perf_counter() - first_at[0]
    await broker.stop()
    await client.drop_database(db.name)
    await client.close()
    return elapsed


def member_row(event: dict) -> dict:
    """What both sides store of a `member.joined`: the handler's three fields."""
    payload = event["payload"]
    return {"_id": event["subject_id"], "legal_name": payload["legal_name"], "status": "active"}


def whole_event(event: dict) -> dict:
    """The event as it came (what the issue's first raw baseline stored)."""
    return event


async def raw_consumer(
    bootstrap: str,
    mongodb_url: str,
    topic: str,
    n: int,
    joined: asyncio.Event | None = None,
    row: Callable[[dict], dict] = member_row,
) -> tuple[float, float]:
    """A raw getmany -> json.loads -> insert_many consumer storing `row` of N events; when its
    first batch came and when the last was stored (`perf_counter`). Sets `joined` once in its
    group."""
    client = connect(mongodb_url)
    db = client[f"bench_raw_{uuid.uuid4().hex[:6]}"]
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"raw-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_poll_records=500,
    )
    stored = 0
    first_at = None
    await consumer.start()
    while stored < n:
        batch = await consumer.getmany(timeout_ms=200, max_records=500)
        if joined is not None and consumer.assignment():
            joined.set()
        first_at = first_at or (time.perf_counter() if batch else None)
        documents = [row(json.loads(r.value)) for records in batch.values() for r in records]
        if documents:
            await db["events"].insert_many(documents, ordered=False)
            await consumer.commit()
            stored += len(documents)
    done_at = time.perf_counter()
    await consumer.stop()
    await client.drop_database(db.name)
    await client.close()
    assert first_at is not None
    return first_at, done_at


async def run_raw(
    bootstrap: str, mongodb_url: str, topic: str, n: int, row: Callable[[dict], dict] = member_row
) -> float:
    """Seconds for a raw getmany -> insert_many consumer to store `row` of all N events."""
    first_at, done_at = await raw_consumer(bootstrap, mongodb_url, topic, n, row=row)
    return done_at - first_at


async def measure(n: int, bootstrap: str, mongodb_url: str) -> list[Figure]:
    """Produce once, run both consumers, print the rates and their ratio."""
    topic = f"bench.members.{uuid.uuid4().hex[:6]}"
    await ensure_topics(bootstrap, [topic])
    await produce(bootstrap, topic, events(n))
    # Untimed: the first consumer groups on a fresh broker wait while Kafka creates and
    # loads its offsets topic, a cost neither side should pay for the other.
    await run_raw(bootstrap, mongodb_url, topic, n)
    pipeline = await run_pipeline(bootstrap, mongodb_url, topic, n)
    raw = await run_raw(bootstrap, mongodb_url, topic, n)
    whole = await run_raw(bootstrap, mongodb_url, topic, n, row=whole_event)
    print(f"events: {n}")
    print(f"raw getmany -> insert_many, same rows: {n / raw:8.0f} events/s ({raw:.2f} s)")
    print(f"raw, storing whole events instead:     {n / whole:8.0f} events/s ({whole:.2f} s)")
    print(f"platform pipeline (idempotent):        {n / pipeline:8.0f} events/s ({pipeline:.2f} s)")
    print(f"pipeline / raw throughput ratio:       {raw / pipeline:8.3f}")
    print(f"pipeline / raw storing whole events:   {whole / pipeline:8.3f}")
    # Goal: at least 0.8 of the raw rate, i.e. at most 1.25 times its time, against the
    # issue's baseline (a raw consumer storing the events it reads); against one storing the
    # handler's rows, the pipeline's own writes (a marker per event) show, with no goal set.
    return [
        Figure(
            "pipeline_vs_raw",
            "consumer pipeline vs getmany->insert_many of the events",
            n,
            "event",
            pipeline,
            whole,
            goal=1.25,
        ),
        Figure(
            "pipeline_vs_raw",
            "consumer pipeline vs getmany->insert_many of the same rows",
            n,
            "event",
            pipeline,
            raw,
        ),
    ]


if __name__ == "__main__":
    main(measure, sizes=(2_000, 10_000, 50_000), quick=(500, 2_000, 5_000))
