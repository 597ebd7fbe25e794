"""Kafka plumbing: the idempotent producer's broker, topic names and topic creation."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker

log = logging.getLogger(__name__)


def dead_letter_topic(topic: str) -> str:
    """Name of the dead-letter topic beside `topic`."""
    return f"{topic}.dlq"


def make_broker(bootstrap: str, *, client_id: str, middlewares: Sequence[Any] = ()) -> KafkaBroker:
    """A FastStream broker whose producer waits for all replicas and never duplicates on retry."""
    return KafkaBroker(
        bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        request_timeout_ms=10_000,
        graceful_timeout=10.0,
        logger=logging.getLogger(f"cmo.{client_id}.broker"),
        log_level=logging.DEBUG,
        middlewares=tuple(middlewares),
    )


@contextlib.asynccontextmanager
async def started(*clients: Any) -> AsyncIterator[None]:
    """Start Kafka clients and close them on leaving, even if a start fails or is cancelled.

    Closing runs to its end even when the caller is cancelled meanwhile (a service stopping
    while it measures lag, say): a client stopped halfway keeps its connections and tasks.
    """
    try:
        for client in clients:
            await client.start()
        yield
    finally:
        closing = asyncio.ensure_future(_close(clients))
        try:
            await asyncio.shield(closing)
        except asyncio.CancelledError:
            await asyncio.wait([closing])
            raise


async def _close(clients: Sequence[Any]) -> None:
    for client in reversed(clients):
        await (client.close() if isinstance(client, AIOKafkaAdminClient) else client.stop())


async def renew_producer(broker: KafkaBroker) -> None:
    """Replace a broker's producer with a new one: a new producer id, sequences from zero.

    aiokafka's idempotent producer does not recover from `OutOfOrderSequenceNumber` (after a
    broker restart with a batch in flight, say; aio-libs/aiokafka#1017): every later send
    fails the same way until the producer is replaced.
    """
    config = broker.config.broker_config
    await config.disconnect()
    await config.connect(**broker._connection_kwargs)


async def ensure_topics(bootstrap: str, topics: list[str], *, partitions: int = 3) -> None:
    """Create the topics (and their dead-letter topics) that do not exist yet."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    async with started(admin):
        existing = set(await admin.list_topics())
        wanted = {t for topic in topics for t in (topic, dead_letter_topic(topic))}
        missing = [
            NewTopic(name, num_partitions=partitions, replication_factor=1)
            for name in sorted(wanted - existing)
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
            log.info("created topics", extra={"topics": [t.name for t in missing]})


async def topic_partitions(bootstrap: str, topics: Sequence[str]) -> list[TopicPartition]:
    """Every partition of the topics that exist (asked of the broker, not a client's cache)."""
    if not topics:
        return []
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    async with started(admin):
        described = await admin.describe_topics(list(topics))
    return [
        TopicPartition(topic["topic"], part["partition"])
        for topic in described
        if not topic.get("error_code")
        for part in sorted(topic["partitions"], key=lambda p: p["partition"])
    ]


async def group_lag(
    admin: AIOKafkaAdminClient,
    reader: AIOKafkaConsumer,
    group: str,
    partitions: list[TopicPartition],
    ends: dict[TopicPartition, int] | None = None,
) -> dict[TopicPartition, int]:
    """Records a consumer group has not committed yet, per partition, up to `ends` (or now).

    A partition the group never committed counts from its start.
    """
    if not partitions:
        return {}
    committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
    if ends is None:
        ends = await reader.end_offsets(partitions)
    lag = {}
    for tp, end in ends.items():
        done = committed.get(tp)
        position = done.offset if done is not None and done.offset >= 0 else 0
        lag[tp] = max(end - position, 0)
    return lag


async def start_at_end(bootstrap: str, group: str) -> None:
    """Commit a new consumer group's offsets at the end of every topic there is.

    A service then started in that group takes only what is published after this call, not
    every event the topics already hold (a benchmark or a test on shared infrastructure).
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    async with started(consumer):
        topics = [t for t in await consumer.topics() if not t.startswith("__")]
        partitions = await topic_partitions(bootstrap, topics)
        if partitions:
            consumer.assign(partitions)
            await consumer.commit(await consumer.end_offsets(partitions))


async def read_to_end(bootstrap: str, topics: Sequence[str]) -> list[Any]:
    """Every record of the topics, from the start to their current end, without a group."""
    partitions = await topic_partitions(bootstrap, topics)
    if not partitions:
        return []
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    async with started(consumer):
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[Any] = []
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            for tp, tp_records in batch.items():
                records.extend(r for r in tp_records if r.offset < ends[tp])
        return records
